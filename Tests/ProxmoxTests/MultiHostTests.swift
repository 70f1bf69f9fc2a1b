import Foundation
import Proxmox
import ProxmoxSimulator
import Testing

/// A Proxmox VE cluster of two nodes, `pve` and `pve2`, reached through one API endpoint.
enum TwoHosts {
    static let gib = 1024 * 1024 * 1024
    static let iso = "local:iso/talos-v1.13.9-ce4c980550dd-nocloud-amd64.iso"
    static let igpu = SimulatedPCIDevice(node: "pve2", path: "0000:00:02.0", id: "8086:46d1")

    /// The reference cluster with a second control plane on `pve` and the worker, with the
    /// iGPU, on `pve2`.
    static func input() -> ProxmoxPlanInput {
        var input = Fixtures.input()
        input.vms[1].proxmoxNode = "pve2"
        input.vms[1].pciMapping = "igpu"
        input.vms.append(VMSpec(name: "talos-cp-2", role: "controlplane", vmid: 216, cores: 2, memoryMiB: 4096, diskGiB: 40,
                                mac: "BC:24:11:00:02:16", address: "192.168.1.216"))
        return input
    }

    /// Adds `pve2` (8 GiB) and the iGPU mapping to a fresh simulator.
    static func prepare(_ state: SimulatorState, pve2Memory: Int = 8 * gib) {
        state.addNode(SimulatedNode(name: "pve2", memoryBytes: pve2Memory))
        state.addPCIMapping("igpu", devices: [igpu])
    }
}

@Suite("Several Proxmox hosts: placement, capacity, storage, ISO and PCI passthrough")
struct MultiHostTests {
    @Test("a two-host definition plans and applies with each VM on its host, the ISO on each, the iGPU passed through")
    func twoHostsPlanAndApply() async throws {
        try await Fixtures.withSimulator { simulator in
            TwoHosts.prepare(simulator.state)
            try await ProxmoxClient.with(simulator.connection()) { client in
                let deployer = ProxmoxDeployer(client: client, input: TwoHosts.input())
                let plan = try await deployer.plan()
                #expect(plan.errors.isEmpty, "\(plan.errors)")
                #expect(plan.hosts.map(\.node) == ["pve", "pve2"])
                #expect(plan.hosts.map(\.downloadImage) == [true, true])
                #expect(plan.hosts.map(\.memoryWantedMiB) == [5120 + 4096, 7168])
                #expect(plan.hosts.map(\.memoryTotalMiB) == [16384, 8192])
                #expect(plan.vms.map(\.node) == ["pve", "pve2", "pve"])
                let worker = try #require(plan.vms.first { $0.vmid == 215 })
                #expect(worker.parameters["hostpci0"] == "mapping=igpu,pcie=1")
                #expect(worker.parameters["machine"] == "q35")
                #expect(plan.vms.first { $0.vmid == 214 }?.parameters["hostpci0"] == nil, "a VM without pciMapping gets no passthrough")
                #expect(plan.warnings.isEmpty, "extensions unknown: no i915 warning \(plan.warnings)")
                let text = plan.renderText()
                #expect(text.contains("Proxmox plan for cluster prox-n100 on nodes pve, pve2:"))
                #expect(text.contains("create    talos-w-1 (VMID 215) on pve2:"))
                #expect(text.contains("hostpci0 mapping=igpu,pcie=1 (machine q35)"))
                #expect(text.contains("capacity  pve2: VMs 7168 MiB + other running VMs 0 MiB of 8192 MiB"))

                try await deployer.apply()
                let again = try await deployer.plan()
                #expect(!again.hasChanges, "\(again.renderText())")
            }
            let requests = simulator.state.requests
            #expect(requests.allSatisfy { $0.template != nil && $0.status < 400 }, "\(requests.filter { $0.status >= 400 })")
            let creates = requests.filter { $0.method == "POST" && $0.template == "/nodes/{node}/qemu" }
            #expect(creates.map(\.path) == ["/nodes/pve/qemu", "/nodes/pve2/qemu", "/nodes/pve/qemu"])
            #expect(simulator.state.allVMs.map { "\($0.vmid)@\($0.node) running=\($0.running)" } == ["214@pve running=true", "215@pve2 running=true", "216@pve running=true"])
            let worker = try #require(simulator.state.vm(215))
            #expect(worker.config["hostpci0"] == "mapping=igpu,pcie=1")
            #expect(worker.config["machine"] == "q35")
            #expect(simulator.state.volumes(on: "pve").contains(TwoHosts.iso))
            #expect(simulator.state.volumes(on: "pve2").contains(TwoHosts.iso))
            #expect(simulator.state.volumes(on: "pve2").contains("local-lvm:vm-215-disk-0"))
            #expect(!simulator.state.volumes(on: "pve").contains("local-lvm:vm-215-disk-0"))
        }
    }

    @Test("capacity is checked per host: total memory minus the configured memory of its other running VMs")
    func capacityPerHost() async throws {
        try await Fixtures.withSimulator { simulator in
            // pve2 has 8 GiB, and a foreign VM of 2 GiB runs there: 7168 MiB no longer fit.
            TwoHosts.prepare(simulator.state)
            simulator.state.addVM(SimulatedVM(vmid: 300, node: "pve2", config: ["name": "plex", "memory": "2048"], running: true))
            try await ProxmoxClient.with(simulator.connection()) { client in
                let deployer = ProxmoxDeployer(client: client, input: TwoHosts.input())
                let plan = try await deployer.plan()
                #expect(plan.hosts.map(\.memoryOthersMiB) == [0, 2048])
                #expect(plan.errors == ["the VMs on node pve2 (talos-w-1) need 7168 MiB and other running VMs use 2048 MiB, but node pve2 has 8192 MiB: lower memoryMiB or place a VM on another node"])
                await #expect(throws: ProxmoxError.self) { try await deployer.apply() }
            }
            #expect(simulator.state.mutatingRequests.isEmpty, "nothing is created when a host lacks memory")
        }
    }

    @Test("a proxmoxNode the cluster does not have is a plan error and nothing is created")
    func unknownNode() async throws {
        try await Fixtures.withSimulator { simulator in
            TwoHosts.prepare(simulator.state)
            var input = TwoHosts.input()
            input.vms[2].proxmoxNode = "pve3"
            try await ProxmoxClient.with(simulator.connection()) { client in
                let deployer = ProxmoxDeployer(client: client, input: input)
                let plan = try await deployer.plan()
                #expect(plan.errors == ["proxmoxNode pve3 (of talos-cp-2) is not a node of the Proxmox cluster (nodes: pve, pve2); fix the cluster definition"])
                await #expect(throws: ProxmoxError.self) { try await deployer.apply() }
            }
            #expect(simulator.state.mutatingRequests.isEmpty)
            #expect(!simulator.state.requests.contains { $0.path.hasPrefix("/nodes/pve3") }, "an unknown node is never asked")
        }
    }

    @Test("an offline node is a plan error")
    func offlineNode() async throws {
        try await Fixtures.withSimulator { simulator in
            TwoHosts.prepare(simulator.state)
            simulator.state.updateNode("pve2") { $0.online = false }
            try await ProxmoxClient.with(simulator.connection()) { client in
                let plan = try await ProxmoxDeployer(client: client, input: TwoHosts.input()).plan()
                #expect(plan.errors.contains { $0.hasPrefix("node pve2 is offline in the Proxmox cluster; its VMs (talos-w-1)") }, "\(plan.errors)")
            }
        }
    }

    @Test("storage a host lacks is a clear error naming the host, and nothing is created")
    func storageMissingOnOneHost() async throws {
        try await Fixtures.withSimulator { simulator in
            TwoHosts.prepare(simulator.state)
            simulator.state.updateNode("pve2") { $0.storages["local-lvm"] = nil }
            try await ProxmoxClient.with(simulator.connection()) { client in
                let deployer = ProxmoxDeployer(client: client, input: TwoHosts.input())
                let plan = try await deployer.plan()
                #expect(plan.errors == ["storage local-lvm does not exist on node pve2 (proxmox.storage / proxmox.imageStorage, needed by talos-w-1); existing: local"])
                await #expect(throws: ProxmoxError.self) { try await deployer.apply() }
            }
            #expect(simulator.state.mutatingRequests.isEmpty)
        }
    }

    @Test("an ISO on shared storage is downloaded once for every host")
    func sharedImageStorage() async throws {
        try await Fixtures.withSimulator { simulator in
            TwoHosts.prepare(simulator.state)
            let nfs = SimulatedStorage(type: "nfs", content: ["iso"], shared: true)
            for node in ["pve", "pve2"] { simulator.state.updateNode(node) { $0.storages["isos"] = nfs } }
            var input = TwoHosts.input()
            input.imageStorage = "isos"
            try await ProxmoxClient.with(simulator.connection()) { client in
                let deployer = ProxmoxDeployer(client: client, input: input)
                let plan = try await deployer.plan()
                #expect(plan.hosts.map(\.downloadImage) == [true, false])
                try await deployer.apply()
            }
            let downloads = simulator.state.mutatingRequests.filter { $0.template == "/nodes/{node}/storage/{storage}/download-url" }
            #expect(downloads.map(\.path) == ["/nodes/pve/storage/isos/download-url"])
            #expect(simulator.state.vm(215)?.config["ide2"] == "isos:iso/talos-v1.13.9-ce4c980550dd-nocloud-amd64.iso,media=cdrom")
        }
    }

    @Test("a pciMapping that does not exist, or has no device on the VM's host, is refused before anything is created")
    func missingMapping() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.addNode(SimulatedNode(name: "pve2", memoryBytes: 8 * TwoHosts.gib))
            try await ProxmoxClient.with(simulator.connection()) { client in
                let plan = try await ProxmoxDeployer(client: client, input: TwoHosts.input()).plan()
                #expect(plan.errors == ["pciMapping igpu of talos-w-1 is not a PCI resource mapping of the Proxmox cluster (existing: none); create it under Datacenter → Resource Mappings, and give the token Mapping.Use on /mapping/pci/igpu"])

                // The mapping exists, but only for pve: pve2's worker cannot use it.
                simulator.state.addPCIMapping("igpu", devices: [SimulatedPCIDevice(node: "pve", path: "0000:00:02.0", id: "8086:46d1")])
                let deployer = ProxmoxDeployer(client: client, input: TwoHosts.input())
                let second = try await deployer.plan()
                #expect(second.errors == ["pciMapping igpu of talos-w-1 has no device on node pve2 (it maps pve); add pve2's device to the mapping or set proxmoxNode to a mapped node"])
                await #expect(throws: ProxmoxError.self) { try await deployer.apply() }
            }
            #expect(simulator.state.mutatingRequests.isEmpty)
        }
    }

    @Test("adding pciMapping to a running VM is an update that waits for its restart")
    func passthroughAddedLater() async throws {
        try await Fixtures.withSimulator { simulator in
            TwoHosts.prepare(simulator.state)
            var input = TwoHosts.input()
            input.vms[1].pciMapping = nil
            try await ProxmoxClient.with(simulator.connection()) { client in
                try await ProxmoxDeployer(client: client, input: input).apply()
                let deployer = ProxmoxDeployer(client: client, input: TwoHosts.input())
                let plan = try await deployer.plan()
                let worker = try #require(plan.vms.first { $0.vmid == 215 })
                #expect(worker.action == .update)
                #expect(worker.changes.map(\.key) == ["machine", "hostpci0"])
                #expect(worker.pendingUntilRestart == ["hostpci0", "machine"])
                try await deployer.apply()
            }
            #expect(simulator.state.vm(215)?.pending == ["machine": "q35", "hostpci0": "mapping=igpu,pcie=1"])
        }
    }
    @Test("an Intel device passed through to a schematic without i915 is a plan warning")
    func intelDeviceWithoutI915() async throws {
        try await Fixtures.withSimulator { simulator in
            TwoHosts.prepare(simulator.state)
            var input = TwoHosts.input()
            input.extensions = ["siderolabs/qemu-guest-agent"]
            try await ProxmoxClient.with(simulator.connection()) { client in
                let plan = try await ProxmoxDeployer(client: client, input: input).plan()
                #expect(plan.errors.isEmpty)
                #expect(plan.warnings == ["talos-w-1's pciMapping igpu is an Intel device (8086:46d1) on pve2; if it is the iGPU, add siderolabs/i915 to talos.extensions or Talos has no driver for it"])
                input.extensions = ["siderolabs/qemu-guest-agent", "siderolabs/i915"]
                #expect(try await ProxmoxDeployer(client: client, input: input).plan().warnings.isEmpty)
            }
        }
    }
}

@Suite("The simulator refuses what Proxmox refuses on several nodes")
struct MultiHostSimulatorTests {
    static func createParameters(vmid: Int, iso: String? = TwoHosts.iso) -> [String: String] {
        var parameters = ["vmid": String(vmid), "name": "probe", "memory": "1024", "scsi0": "local-lvm:8"]
        parameters["ide2"] = iso.map { "\($0),media=cdrom" }
        return parameters
    }

    static func refusal(_ client: ProxmoxClient, _ path: String, _ parameters: [String: String]) async -> String? {
        do {
            try await client.runTask(.post, path, parameters)
            return nil
        } catch let error as ProxmoxError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test("a VM on a node without the storage, or without the ISO, or with a mapping the node lacks")
    func refusals() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.addNode(SimulatedNode(name: "pve2", storages: ["local": .localDirectory]))
            simulator.state.addPCIMapping("igpu", devices: [SimulatedPCIDevice(node: "pve", path: "0000:00:02.0", id: "8086:46d1")])
            simulator.state.addVolume(TwoHosts.iso, on: "pve")
            try await ProxmoxClient.with(simulator.connection()) { client in
                let noStorage = await Self.refusal(client, "/nodes/pve2/qemu", Self.createParameters(vmid: 400, iso: nil))
                #expect(noStorage?.contains("storage 'local-lvm' does not exist") == true, "\(noStorage ?? "accepted")")
                simulator.state.updateNode("pve2") { $0.storages["local-lvm"] = .localThinLVM }
                let noISO = await Self.refusal(client, "/nodes/pve2/qemu", Self.createParameters(vmid: 401))
                #expect(noISO?.contains("volume '\(TwoHosts.iso)' does not exist") == true, "the ISO is on pve, not pve2: \(noISO ?? "accepted")")
                var mapped = Self.createParameters(vmid: 402)
                mapped["hostpci0"] = "mapping=igpu,pcie=1"
                mapped["machine"] = "q35"
                simulator.state.addVolume(TwoHosts.iso, on: "pve2")
                let unmapped = await Self.refusal(client, "/nodes/pve2/qemu", mapped)
                #expect(unmapped?.contains("PCI device mapping not found for 'igpu'") == true, "\(unmapped ?? "accepted")")
                mapped["hostpci0"] = "mapping=nope,pcie=1"
                let unknown = await Self.refusal(client, "/nodes/pve/qemu", mapped)
                #expect(unknown?.contains("PCI device mapping not found for 'nope'") == true, "\(unknown ?? "accepted")")
                mapped["hostpci0"] = "mapping=igpu,pcie=maybe"
                let malformed = await Self.refusal(client, "/nodes/pve/qemu", mapped)
                #expect(malformed?.contains("hostpci0") == true && malformed?.contains("(400)") == true, "the schema's hostpci format is enforced: \(malformed ?? "accepted")")
                // A VM lives on one node: asking another node for it finds no config.
                mapped["hostpci0"] = "mapping=igpu,pcie=1"
                #expect(await Self.refusal(client, "/nodes/pve/qemu", mapped) == nil)
                await #expect(throws: ProxmoxError.self) { try await client.get("/nodes/pve2/qemu/402/config") }
            }
            #expect(simulator.state.allVMs.map(\.vmid) == [402])
        }
    }

    @Test("pcie=1 without the q35 machine type fails at start, as QEMU does")
    func pcieNeedsQ35() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.addPCIMapping("igpu", devices: [SimulatedPCIDevice(node: "pve", path: "0000:00:02.0", id: "8086:46d1")])
            simulator.state.addVolume(TwoHosts.iso)
            try await ProxmoxClient.with(simulator.connection()) { client in
                var parameters = Self.createParameters(vmid: 403)
                parameters["hostpci0"] = "mapping=igpu,pcie=1"
                try await client.runTask(.post, "/nodes/pve/qemu", parameters)
                let failure = await Self.refusal(client, "/nodes/pve/qemu/403/status/start", [:])
                #expect(failure?.contains("q35 machine model is not enabled") == true, "\(failure ?? "started")")
            }
            #expect(simulator.state.vm(403)?.running == false)
        }
    }

}
