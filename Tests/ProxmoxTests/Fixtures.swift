import Foundation
import Proxmox
import ProxmoxSimulator
import Testing

/// Shared helpers: a simulator per test, and the reference cluster's VMs as plan input.
enum Fixtures {
    static func input(cluster: String = "prox-n100") -> ProxmoxPlanInput {
        ProxmoxPlanInput(
            clusterName: cluster, node: "pve", storage: "local-lvm", imageStorage: "local", bridge: "vmbr0",
            prefixLength: 24, gateway: "192.168.1.1", nameservers: ["192.168.1.1"],
            image: BootImage(url: "https://factory.talos.dev/image/ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515/v1.13.9/nocloud-amd64.iso",
                             filename: "talos-v1.13.9-ce4c980550dd-nocloud-amd64.iso"),
            vms: [
                VMSpec(name: "talos-cp-1", role: "controlplane", vmid: 214, cores: 2, memoryMiB: 5120, diskGiB: 48, mac: "BC:24:11:00:02:14", address: "192.168.1.214"),
                VMSpec(name: "talos-w-1", role: "worker", vmid: 215, cores: 3, memoryMiB: 7168, diskGiB: 96, mac: "BC:24:11:00:02:15", address: "192.168.1.215"),
            ])
    }

    /// Runs `body` against a fresh simulator, or records a loud skip when the API schema is absent.
    static func withSimulator(_ body: (ProxmoxSimulator) async throws -> Void) async throws {
        let schema: APISchema
        do {
            schema = try ProxmoxSimulator.loadSchema()
        } catch {
            if ProcessInfo.processInfo.environment["CI"] != nil { throw error }
            print("SKIPPED: Proxmox simulator needs shared/data/proxmox/pve-apidoc.json (\(error))")
            return
        }
        let simulator = try await ProxmoxSimulator(schema: schema)
        do {
            try await body(simulator)
            await simulator.stop()
        } catch {
            await simulator.stop()
            throw error
        }
    }

    /// A comparable picture of the host: VMs (config without generated ids), power state, ISOs.
    static func snapshot(_ state: SimulatorState) -> [String] {
        var lines: [String] = []
        for vm in state.allVMs {
            let config = vm.config.filter { !["smbios1", "vmgenid", "meta"].contains($0.key) }
            lines.append("vm \(vm.vmid) running=\(vm.running) lock=\(vm.lock ?? "-") pending=\(vm.pending.keys.sorted())")
            for key in config.keys.sorted() { lines.append("  \(key)=\(config[key] ?? "")") }
        }
        for volume in state.allVolumes.sorted() { lines.append("volume \(volume)") }
        return lines
    }
}
