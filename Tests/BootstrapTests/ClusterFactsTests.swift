import Bootstrap
import Foundation
import HomeportCore
import Testing
import TestSupport

@Suite("Cluster facts from the cluster definition")
struct ClusterFactsTests {
    static func reference() throws -> String {
        try String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
    }

    @Test("the reference definition adapts to the Proxmox plan input")
    func reference() throws {
        let repo = try TemporaryRepo(files: ["config/clusters/prox-n100.yaml": try Self.reference()])
        let facts = try ClusterFacts.load(repoRoot: repo.root, cluster: nil)
        let input = facts.proxmoxPlanInput
        #expect(input.clusterName == "prox-n100" && input.node == "pve" && input.prefixLength == 24)
        #expect(input.vms.map(\.mac) == ["BC:24:11:00:02:14", "BC:24:11:00:02:15"])
        #expect(input.vms.map(\.role) == ["controlplane", "worker"])
        #expect(input.nameservers == ["192.168.1.1"])
        #expect(input.image.filename == "talos-v1.13.9-ce4c980550dd-nocloud-amd64.iso")
        #expect(facts.proxmox.fingerprint == nil && facts.proxmox.caFile == nil)
    }

    @Test("an invalid definition stops with the file and line of the problem")
    func invalid() throws {
        let broken = try Self.reference().replacingOccurrences(of: "vmid: 214, cores: 2", with: "vmid: 214, cores: 1")
        let repo = try TemporaryRepo(files: ["config/clusters/prox-n100.yaml": broken])
        do {
            _ = try ClusterFacts.load(repoRoot: repo.root, cluster: nil)
            Issue.record("an invalid definition was accepted")
        } catch let error as HomeportError {
            #expect(error.description.contains("config/clusters/prox-n100.yaml:"))
            #expect(error.description.contains("cores"))
        }
        #expect(throws: HomeportError.self) { try ClusterFacts.load(repoRoot: repo.root, cluster: "other") }
    }
}
