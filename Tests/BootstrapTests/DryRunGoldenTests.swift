import Bootstrap
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
        let facts = try ClusterFacts.load(repoRoot: repo.root, cluster: nil)
        // No token secret, no tools: a dry run must still describe everything.
        let env = try await BootstrapEnvironment.make(repoRoot: repo.root, facts: facts, environment: ["PATH": "/nonexistent", "HOME": repo.root],
                                                printer: { _ in }, keepLog: false)
        let output = await Bootstrapper(env: env).dryRun(BootstrapOptions(dryRun: true))
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try output.write(toFile: Self.goldenPath, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: Self.goldenPath, encoding: .utf8)
        #expect(output == golden)
        #expect(output.contains("Stage 1/4: vms") && output.contains("Stage 4/4: check"))
        #expect(output.contains("ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515"), "the qemu-guest-agent schematic id")
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
            #expect(output.contains("download  local:iso/talos-v1.13.9-ce4c980550dd-nocloud-amd64.iso"))
            #expect(output.contains("create    talos-cp-1 (VMID 214)"))
            #expect(simulator.state.mutatingRequests.isEmpty)
            #expect(!simulator.state.requests.isEmpty)
            #expect(fixture.takeCalls().isEmpty, "no talosctl or kubectl call in a dry run")
        }
    }
}
