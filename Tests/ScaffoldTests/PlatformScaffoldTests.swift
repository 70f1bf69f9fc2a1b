import Contract
import Foundation
import HomeportCore
import Manifests
import Scaffold
import Testing
import TestSupport

struct PlatformScaffoldTests {
    @Test func newConcernGetsNamespaceFolderAndFluxKustomization() throws {
        let repo = try RepoCopy.make()
        let chart = try OCIChart(url: "oci://ghcr.io/example/charts/reloader", version: "2.2.16")
        let plan = try Scaffolder(snapshot: try RepoCopy.snapshot(repo))
            .planPlatform(concern: "automation", name: "reloader", namespace: nil, chart: chart)
        try plan.apply(root: repo.root)
        try DocsRunner.write(repoRoot: repo.root)  // as `homeport new` does
        let snapshot = try RepoCopy.snapshot(repo)

        let namespace = snapshot.file("cluster/kubernetes/platform/automation/namespace.yaml")?.documents.first
        #expect(namespace?.name == "automation")
        #expect(namespace?.root[path: "metadata.labels"]?["pod-security.kubernetes.io/enforce"]?.string == "baseline")
        let component = snapshot.file("cluster/kubernetes/platform/automation/reloader.yaml")?.documents ?? []
        #expect(component.map(\.kind) == ["OCIRepository", "HelmRelease"])
        #expect(component.allSatisfy { $0.namespace == "automation" })
        let registration = snapshot.file("cluster/kubernetes/flux/platform.yaml")?.documents.first { $0.name == "automation" }
        #expect(registration?.root[path: "spec.path"]?.string == "./cluster/kubernetes/platform/automation")

        let findings = Checker().check(snapshot).filter { $0.location.path.contains("platform/automation") }
        #expect(findings.isEmpty, "\(findings.map(\.message))")
        if let result = try RepoCopy.kustomize(repo.root + "/cluster/kubernetes/platform/automation") {
            #expect(result.status == 0, "\(result.standardError)")
        }
    }

    @Test func existingConcernGetsTheComponentInItsNamespaceAndNoSecondKustomization() throws {
        let repo = try RepoCopy.make()
        let chart = try OCIChart(url: "oci://ghcr.io/example/charts/snapshotter", version: "v1.0.0")
        let original = try #require(repo.read("cluster/kubernetes/platform/storage/kustomization.yaml"))
        let plan = try Scaffolder(snapshot: try RepoCopy.snapshot(repo))
            .planPlatform(concern: "storage", name: "snapshotter", namespace: nil, chart: chart)
        #expect(!plan.files.contains { $0.path.hasSuffix("flux/platform.yaml") }, "storage is already reconciled")
        try plan.apply(root: repo.root)
        try DocsRunner.write(repoRoot: repo.root)  // as `homeport new` does

        let updated = try #require(repo.read("cluster/kubernetes/platform/storage/kustomization.yaml"))
        #expect(updated == original + "  - snapshotter.yaml\n", "the list grows by one line, comments kept")
        let snapshot = try RepoCopy.snapshot(repo)
        let component = snapshot.file("cluster/kubernetes/platform/storage/snapshotter.yaml")?.documents ?? []
        #expect(component.allSatisfy { $0.namespace == "storage" })
        if let result = try RepoCopy.kustomize(repo.root + "/cluster/kubernetes/platform/storage") {
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("name: snapshotter"))
        }
    }

    @Test func concernNamedLikeAnUnrelatedKustomizationIsRefused() throws {
        let repo = try RepoCopy.make()
        // `certs-issuers` is taken by the Kustomization of platform/certs/issuers.
        let scaffolder = Scaffolder(snapshot: try RepoCopy.snapshot(repo))
        #expect(throws: HomeportError.self) {
            try scaffolder.planPlatform(concern: "certs-issuers", name: "x", namespace: nil, chart: nil)
        }
    }

    @Test func existingComponentFileIsRefused() throws {
        let repo = try RepoCopy.make()
        let scaffolder = Scaffolder(snapshot: try RepoCopy.snapshot(repo))
        #expect(throws: HomeportError.self) {
            try scaffolder.planPlatform(concern: "monitoring", name: "metrics-server", namespace: nil, chart: nil)
        }
    }

    @Test func concernWithoutAClearNamespaceNeedsTheFlag() throws {
        let snapshot = RepoScanner.snapshot(files: [
            "cluster/kubernetes/flux/kustomization.yaml": "resources:\n  - platform.yaml\n",
            "cluster/kubernetes/flux/platform.yaml": "",
            "cluster/kubernetes/platform/mixed/kustomization.yaml": "resources:\n  - namespaces.yaml\n",
            "cluster/kubernetes/platform/mixed/namespaces.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n",
        ])
        let scaffolder = Scaffolder(snapshot: snapshot)
        #expect(throws: HomeportError.self) { try scaffolder.planPlatform(concern: "mixed", name: "x", namespace: nil, chart: nil) }
        let plan = try scaffolder.planPlatform(concern: "mixed", name: "x", namespace: "b", chart: nil)
        let component = plan.files.first { $0.path == "cluster/kubernetes/platform/mixed/x.yaml" }
        #expect(component?.content.contains("namespace: b\n") == true)
        #expect(plan.files.contains { $0.path == "cluster/kubernetes/flux/platform.yaml" && $0.content.contains("path: ./cluster/kubernetes/platform/mixed") })
    }
}
