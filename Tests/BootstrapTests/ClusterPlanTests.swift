import Bootstrap
import ClusterSpec
import Foundation
import HomeportCore
import Talos
import Testing
import TestSupport

@Suite("The VM plan from the cluster definition")
struct ClusterPlanTests {
    static func reference() throws -> String {
        try String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
    }

    @Test("the reference definition becomes the Proxmox plan input, booting the Talos module's schematic")
    func reference() throws {
        let repo = try TemporaryRepo(files: ["config/clusters/prox-n100.yaml": try Self.reference()])
        let definition = try ClusterDefinition.loadValid(repoRoot: repo.root, cluster: nil)
        let input = try definition.proxmoxPlanInput()
        #expect(input.clusterName == "prox-n100" && input.node == "pve" && input.prefixLength == 24)
        #expect(input.vms.map(\.mac) == ["BC:24:11:00:02:14", "BC:24:11:00:02:15"])
        #expect(input.vms.map(\.role) == ["controlplane", "worker"])
        #expect(input.nameservers == ["192.168.1.1"])
        let version = definition.talos.version.description
        let schematic = try definition.talosInput.schematic
        #expect(input.image.filename == "talos-\(version)-\(schematic.id.prefix(12))-nocloud-amd64.iso")
        #expect(input.image.url == schematic.imageURL(talosVersion: version))
        #expect(definition.proxmox.fingerprint == nil && definition.proxmox.caFile == nil)
    }

    @Test("kernel arguments of the definition change the schematic the VMs boot, as they change the installer")
    func kernelArgumentsReachTheISO() throws {
        let repo = try TemporaryRepo(files: ["config/clusters/prox-n100.yaml": try Self.reference()])
        let definition = try ClusterDefinition.loadValid(repoRoot: repo.root, cluster: nil)
        var input = definition.talosInput
        let plain = try input.schematic.id
        input.extraKernelArgs = ["net.ifnames=0"]
        // From v1.12 on the kernel command line lives in the image: a different schematic.
        if try input.contract.has(.grubUseUKICmdline) { #expect(try input.schematic.id != plain) }
        #expect(try definition.proxmoxPlanInput().image.url.contains(plain))
    }

    @Test("an invalid definition stops with the file and line of the problem")
    func invalid() throws {
        let broken = try Self.reference().replacingOccurrences(of: "vmid: 214, cores: 2", with: "vmid: 214, cores: 1")
        let repo = try TemporaryRepo(files: ["config/clusters/prox-n100.yaml": broken])
        do {
            _ = try ClusterDefinition.loadValid(repoRoot: repo.root, cluster: nil)
            Issue.record("an invalid definition was accepted")
        } catch let error as HomeportError {
            #expect(error.description.contains("config/clusters/prox-n100.yaml:"))
            #expect(error.description.contains("cores"))
        }
        #expect(throws: HomeportError.self) { try ClusterDefinition.loadValid(repoRoot: repo.root, cluster: "other") }
    }
}
