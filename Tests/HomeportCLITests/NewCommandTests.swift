import ArgumentParser
import Foundation
import HomeportCore
@testable import HomeportCLI
import Testing
import TestSupport

/// `homeport new …` as the command line sees it: flags reach the scaffolder, errors are usage
/// errors, and the files land in `--repo`.
struct NewCommandTests {
    static let entrypoint = """
    ---
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    resources:
      - apps.yaml

    """

    @Test func newAppWritesTheFolderAndRegistersIt() throws {
        let repo = try TemporaryRepo(files: [
            "cluster/kubernetes/flux/kustomization.yaml": Self.entrypoint,
            "cluster/kubernetes/flux/apps.yaml": "# Apps layer\n",
        ])
        var command = try HomeportCommand.parseAsRoot(["new", "app", "whoami", "--repo", repo.root])
        try command.run()
        #expect(repo.read("cluster/kubernetes/apps/whoami/namespace.yaml")?.contains("name: whoami") == true)
        #expect(repo.read("cluster/kubernetes/apps/whoami/kustomization.yaml")?.contains("  - app.yaml") == true)
        let layer = try #require(repo.read("cluster/kubernetes/flux/apps.yaml"))
        #expect(layer.hasPrefix("# Apps layer\n---\n"))
        #expect(layer.contains("path: ./cluster/kubernetes/apps/whoami"))
    }

    @Test func dryRunWritesNothing() throws {
        let repo = try TemporaryRepo(files: [
            "cluster/kubernetes/flux/kustomization.yaml": Self.entrypoint,
            "cluster/kubernetes/flux/apps.yaml": "",
        ])
        var command = try HomeportCommand.parseAsRoot(["new", "app", "whoami", "--dry-run", "--repo", repo.root])
        try command.run()
        #expect(repo.read("cluster/kubernetes/apps/whoami/namespace.yaml") == nil)
        #expect(repo.read("cluster/kubernetes/flux/apps.yaml") == "")
    }

    @Test func chartWithoutVersionIsAUsageError() throws {
        let repo = try TemporaryRepo(files: ["cluster/kubernetes/flux/kustomization.yaml": Self.entrypoint])
        var command = try HomeportCommand.parseAsRoot(["new", "app", "whoami", "--chart", "oci://ghcr.io/o/c/whoami", "--repo", repo.root])
        do {
            try command.run()
            Issue.record("expected a usage error")
        } catch let error as HomeportError {
            #expect(error.kind == .usage)
            #expect(error.message.contains("--version"))
        }
        #expect(repo.read("cluster/kubernetes/apps/whoami/namespace.yaml") == nil)
    }

    @Test func newPlatformTakesConcernNameAndNamespace() throws {
        let repo = try TemporaryRepo(files: [
            "cluster/kubernetes/flux/kustomization.yaml": Self.entrypoint,
        ])
        var command = try HomeportCommand.parseAsRoot([
            "new", "platform", "automation", "reloader", "--namespace", "tools",
            "--chart", "oci://ghcr.io/stakater/charts/reloader", "--version", "2.2.16", "--repo", repo.root,
        ])
        try command.run()
        #expect(repo.read("cluster/kubernetes/platform/automation/namespace.yaml")?.contains("name: tools") == true)
        #expect(repo.read("cluster/kubernetes/platform/automation/reloader.yaml")?.contains("tag: \"2.2.16\"") == true)
        // No platform.yaml existed: it is created and listed in the entrypoint.
        #expect(repo.read("cluster/kubernetes/flux/platform.yaml")?.contains("name: automation") == true)
        #expect(repo.read("cluster/kubernetes/flux/kustomization.yaml")?.hasSuffix("  - apps.yaml\n  - platform.yaml\n") == true)
    }
}
