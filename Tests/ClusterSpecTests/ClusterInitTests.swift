import ClusterSpec
import Foundation
import HomeportCore
import TestSupport
import Testing

/// The definition half of `homeport init`: plan (validate, write nothing), then write the
/// definition and every derived file.
struct ClusterInitTests {
    static let fluxInstance = "kind: FluxInstance\nspec:\n  sync:\n    url: ssh://git@github.com/OWNER/homelab.git\n    ref: refs/heads/main\n    path: cluster/kubernetes/flux\n"

    @Test func planWritesNothingAndRefusesWhatCannotBeDerived() throws {
        let repo = try TemporaryRepo(files: [
            ClusterFixtures.path: ClusterFixtures.valid,
            "cluster/kubernetes/flux/flux-instance.yaml": Self.fluxInstance,
            "synology/exports.md": "# NAS\n\nno markers yet\n",
        ])
        let workspace = ClusterWorkspace(root: repo.root)
        var values = ClusterDefinitionValues()
        values.name = "home"
        values.gitURL = "ssh://git@github.com/you/homelab.git"
        let template = try ClusterInit.template(workspace, name: "home")
        do {
            _ = try ClusterInit.plan(values, template: template, in: workspace)
            Issue.record("a runbook without markers must stop init")
        } catch let error as HomeportError {
            #expect(error.location == HomeportCore.SourceLocation(path: "synology/exports.md", line: 1))
        }
        #expect(repo.read("config/clusters/home.yaml") == nil)

        try repo.write("synology/exports.md", "# NAS\n\n\(NASExports.beginMarker) -->\n\(NASExports.endMarker)\n")
        let plan = try ClusterInit.plan(values, template: template, in: workspace)
        #expect(plan.targetPath == "config/clusters/home.yaml")
        #expect(repo.read("config/clusters/home.yaml") == nil, "planning writes nothing")

        let report = try ClusterInit.write(plan, in: workspace)
        #expect(report.contains("wrote config/clusters/home.yaml\n"))
        #expect(report.contains("removed the template's config/clusters/lab.yaml\n"))
        #expect(report.contains("wrote config/env/home.env\n"))
        #expect(report.contains("wrote cluster/kubernetes/flux/flux-instance.yaml\n"))
        #expect(report.contains("wrote synology/exports.md\n"))
        #expect(repo.read("config/clusters/lab.yaml") == nil)
        #expect(repo.read("cluster/kubernetes/flux/flux-instance.yaml")?.contains("url: ssh://git@github.com/you/homelab.git\n") == true)
        #expect(try ClusterSync(workspace: workspace).drift(workspace.load(named: "home")).isEmpty)
    }

    @Test func anInvalidNameOrDefinitionIsAUsageError() throws {
        let repo = try TemporaryRepo(files: [ClusterFixtures.path: ClusterFixtures.valid])
        let workspace = ClusterWorkspace(root: repo.root)
        let template = try ClusterInit.template(workspace, name: nil)
        var badName = ClusterDefinitionValues()
        badName.name = "Not_A_Label"
        var badVIP = ClusterDefinitionValues()
        badVIP.controlPlaneVIP = "172.16.0.1"
        for values in [badName, badVIP] {
            #expect(throws: HomeportError.self) { _ = try ClusterInit.plan(values, template: template, in: workspace) }
        }
        try repo.write("config/clusters/edge.yaml", ClusterFixtures.valid.replacingOccurrences(of: "name: lab\n", with: "name: edge\n"))
        #expect(throws: HomeportError.self) { _ = try ClusterInit.template(workspace, name: nil) }
    }
}
