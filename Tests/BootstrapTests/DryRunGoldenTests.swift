import Bootstrap
import ClusterSpec
import Foundation
import Testing
import TestSupport

@Suite("homeport up --dry-run on the reference cluster")
struct DryRunGoldenTests {
    static let goldenPath = SharedData.packageRoot + "/Tests/Fixtures/bootstrap/up-dry-run-prox-n100.txt"

    @Test("prints a readable plan of every stage, identical to the golden file, touching nothing")
    func golden() async throws {
        let repo = try TemporaryRepo()
        try repo.copy(from: SharedData.packageRoot + "/config/clusters", to: "config/clusters")
        try repo.copy(from: SharedData.packageRoot + "/cluster/kubernetes/flux", to: "cluster/kubernetes/flux")
        try repo.copy(from: SharedData.packageRoot + "/cluster/talos", to: "cluster/talos")
        let definition = try ClusterDefinition.loadValid(repoRoot: repo.root, cluster: nil)
        // No token secret, no tools (not even sops): a dry run must still describe everything.
        let env = try BootstrapEnvironment.make(repoRoot: repo.root, definition: definition, environment: ["PATH": "/nonexistent", "HOME": repo.root],
                                                printer: { _ in }, keepLog: false)
        let output = await Bootstrapper(env: env).dryRun(BootstrapOptions(dryRun: true))
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try output.write(toFile: Self.goldenPath, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: Self.goldenPath, encoding: .utf8)
        #expect(output == golden)
        #expect(output.contains("Stage 1/4: vms") && output.contains("Stage 4/4: check"))
        #expect(output.contains(try definition.talosInput.schematic.id), "the Talos module's schematic id")
        #expect(!output.contains("talosctl gen"), "configs are rendered by homeport, never by talosctl gen")
        for node in definition.nodes {
            #expect(output.contains("--file .talos/prox-n100/\(node.name).yaml"), "\(node.name) gets the file talos gen writes")
        }
        #expect(output.contains("cluster/talos/patches/all/kubelet.yaml"), "the patches are named")
        #expect(!output.contains(repo.root), "paths are shown relative to the repository")
        let left = try FileManager.default.contentsOfDirectory(atPath: repo.root).sorted()
        #expect(left == ["cluster", "config"], "a dry run writes nothing (no .talos, no logs)")
    }

    @Test("--only and --from select stages")
    func stageSelection() {
        #expect(BootstrapOptions(only: .flux).stages == [.flux])
        #expect(BootstrapOptions(from: .talos).stages == [.talos, .flux, .check])
        #expect(BootstrapOptions().stages == [.vms, .talos, .flux, .check])
    }
}

@Suite("homeport up --dry-run against a Proxmox host")
struct DryRunLiveTests {
    @Test("with a token the VM stage shows the live plan, and nothing is changed")
    func livePlanReadOnly() async throws {
        let fixture = try UpFixture()
        try await UpTests.withSimulator { simulator in
            let output = await Bootstrapper(env: fixture.environment(simulator)).dryRun(BootstrapOptions(dryRun: true))
            let iso = try fixture.definition.proxmoxPlanInput().image.filename
            #expect(output.contains("download  local:iso/\(iso)"))
            #expect(output.contains("create    talos-cp-1 (VMID 214)"))
            #expect(simulator.state.mutatingRequests.isEmpty)
            #expect(!simulator.state.requests.isEmpty)
            #expect(fixture.takeCalls().isEmpty, "no talosctl or kubectl call in a dry run")
        }
    }
}
