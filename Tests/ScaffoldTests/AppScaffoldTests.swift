import Contract
import Foundation
import HomeportCore
import Manifests
import Scaffold
import Testing
import TestSupport

struct AppScaffoldTests {
    @Test func placeholderAppIsContractCleanAndRegisteredWithFlux() throws {
        let repo = try RepoCopy.make()
        let before = Checker().check(try RepoCopy.snapshot(repo))

        let plan = try Scaffolder(snapshot: try RepoCopy.snapshot(repo)).planApp(name: "whoami", chart: nil)
        try plan.apply(root: repo.root)
        try DocsRunner.write(repoRoot: repo.root)  // as `homeport new` does

        let after = try RepoCopy.snapshot(repo)
        let findings = Checker().check(after)
        let newFindings = findings.filter { finding in
            finding.location.path.hasPrefix("cluster/kubernetes/apps/whoami") || finding.location.path.hasSuffix("flux/apps.yaml")
        }
        #expect(newFindings.isEmpty, "\(newFindings.map { "\($0.location.description): \($0.ruleID) \($0.message)" })")
        #expect(findings.count <= before.count, "the scaffold added findings: \(findings.count) after, \(before.count) before")

        // Registered: a Flux Kustomization in apps.yaml reconciles the folder, after the platform.
        let registration = after.file("cluster/kubernetes/flux/apps.yaml")?.documents.first { $0.name == "whoami" }
        #expect(registration?.root[path: "spec.path"]?.string == "./cluster/kubernetes/apps/whoami")
        let dependsOn = registration?.root[path: "spec.dependsOn"]?.sequence?.items.compactMap { $0["name"]?.string }
        #expect(dependsOn == ["ingress", "storage"])
        #expect(registration?.root[path: "spec.decryption.provider"]?.string == "sops")
        #expect(registration?.root[path: "spec.postBuild.substituteFrom"]?.sequence?.items.first?["name"]?.string == "cluster-settings")

        // The folder owns its namespace and every object sits in it.
        let documents = after.files(under: "cluster/kubernetes/apps/whoami").flatMap(\.documents).filter(\.isKubernetesObject)
        let kinds = Set(documents.compactMap(\.kind))
        #expect(kinds.isSuperset(of: ["Namespace", "Deployment", "Service", "HTTPRoute", "Kustomization"]))
        for document in documents where document.kind != "Namespace" && document.kind != "Kustomization" {
            #expect(document.namespace == "whoami", "\(document.path): \(document.identity?.description ?? "?")")
        }

        if let result = try RepoCopy.kustomize(repo.root + "/cluster/kubernetes/apps/whoami") {
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("kind: HTTPRoute"))
        } else {
            #expect(!SharedData.isCI, "kubectl is required in CI")
            print("skipped: kubectl not installed; the kustomize build of the scaffold was not checked")
        }
        if let result = try RepoCopy.kustomize(repo.root + "/cluster/kubernetes/flux") {
            #expect(result.status == 0, "\(result.standardError)")
        }
    }

    @Test func chartAppUsesAPinnedOCIRepositoryThroughChartRef() throws {
        let repo = try RepoCopy.make()
        let chart = try OCIChart(url: "oci://ghcr.io/example/charts/whoami", version: "1.2.3")
        let plan = try Scaffolder(snapshot: try RepoCopy.snapshot(repo)).planApp(name: "whoami", chart: chart)
        try plan.apply(root: repo.root)
        try DocsRunner.write(repoRoot: repo.root)  // as `homeport new` does
        let snapshot = try RepoCopy.snapshot(repo)

        let source = snapshot.file("cluster/kubernetes/apps/whoami/ocirepository.yaml")?.documents.first
        #expect(source?.kind == "OCIRepository")
        #expect(source?.root[path: "spec.url"]?.string == "oci://ghcr.io/example/charts/whoami")
        #expect(source?.root[path: "spec.ref.tag"]?.string == "1.2.3")
        let release = snapshot.file("cluster/kubernetes/apps/whoami/helmrelease.yaml")?.documents.first
        #expect(release?.apiVersion == "helm.toolkit.fluxcd.io/v2")
        #expect(release?.root[path: "spec.chartRef.kind"]?.string == "OCIRepository")
        #expect(release?.root[path: "spec.chartRef.name"]?.string == "whoami")
        #expect(release?.root[path: "spec.values.resources.limits.memory"]?.string != nil)

        let findings = Checker().check(snapshot).filter { $0.location.path.hasPrefix("cluster/kubernetes/apps/whoami") }
        #expect(findings.isEmpty, "\(findings.map(\.message))")
        if let result = try RepoCopy.kustomize(repo.root + "/cluster/kubernetes/apps/whoami") {
            #expect(result.status == 0, "\(result.standardError)")
        }
    }

    @Test func planningWritesNothing() throws {
        let repo = try RepoCopy.make()
        let plan = try Scaffolder(snapshot: try RepoCopy.snapshot(repo)).planApp(name: "whoami", chart: nil)
        #expect(plan.files.contains { $0.path == "cluster/kubernetes/apps/whoami/namespace.yaml" && $0.change == .create })
        #expect(plan.files.contains { $0.path == "cluster/kubernetes/flux/apps.yaml" && $0.change == .update })
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/cluster/kubernetes/apps/whoami"))
    }

    @Test func refusesAnExistingApp() throws {
        let repo = try RepoCopy.make()
        let scaffolder = Scaffolder(snapshot: try RepoCopy.snapshot(repo))
        #expect(throws: HomeportError.self) { try scaffolder.planApp(name: "jellyfin", chart: nil) }
    }

    @Test func neverOverwritesAFileThatAppearedAfterPlanning() throws {
        let repo = try RepoCopy.make()
        let plan = try Scaffolder(snapshot: try RepoCopy.snapshot(repo)).planApp(name: "whoami", chart: nil)
        try repo.write("cluster/kubernetes/apps/whoami/namespace.yaml", "# mine\n")
        #expect(throws: HomeportError.self) { try plan.apply(root: repo.root) }
        #expect(repo.read("cluster/kubernetes/apps/whoami/namespace.yaml") == "# mine\n")
        #expect(repo.read("cluster/kubernetes/flux/apps.yaml")?.contains("name: whoami") == false)
    }

    @Test(arguments: ["Bad_Name", "-lead", "trail-", "1abc", "", String(repeating: "a", count: 64)])
    func rejectsInvalidNames(_ name: String) throws {
        let snapshot = RepoScanner.snapshot(files: ["cluster/kubernetes/flux/kustomization.yaml": "resources: []\n"])
        #expect(throws: HomeportError.self) { try Scaffolder(snapshot: snapshot).planApp(name: name, chart: nil) }
    }

    @Test(arguments: ["latest", "^1.2.0", "~1.2", ">=1.0", "1.x", "1.2.*", "", "1.0 || 2.0"])
    func rejectsFloatingVersions(_ version: String) {
        #expect(throws: HomeportError.self) { try OCIChart(url: "oci://ghcr.io/org/charts/app", version: version) }
    }

    @Test(arguments: ["https://charts.example.com/app", "oci://ghcr.io", "oci://ghcr.io/org/app:1.0", "ghcr.io/org/app"])
    func rejectsNonOCIOrTaggedReferences(_ url: String) {
        #expect(throws: HomeportError.self) { try OCIChart(url: url, version: "1.0.0") }
    }

    @Test func createsTheAppsLayerWhenTheEntrypointHasNone() throws {
        let snapshot = RepoScanner.snapshot(files: [
            "cluster/kubernetes/flux/kustomization.yaml": "---\n# entrypoint\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - flux-instance.yaml\n",
            "cluster/kubernetes/flux/flux-instance.yaml": "apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n",
        ])
        let plan = try Scaffolder(snapshot: snapshot).planApp(name: "whoami", chart: nil)
        let layer = plan.files.first { $0.path == "cluster/kubernetes/flux/apps.yaml" }
        #expect(layer?.change == .create)
        #expect(layer?.content.contains("dependsOn") == false, "no ingress/storage Kustomizations exist here")
        let entrypoint = plan.files.first { $0.path == "cluster/kubernetes/flux/kustomization.yaml" }
        #expect(entrypoint?.content.hasSuffix("  - flux-instance.yaml\n  - apps.yaml\n") == true)
        #expect(entrypoint?.content.hasPrefix("---\n# entrypoint\n") == true)
    }
}
