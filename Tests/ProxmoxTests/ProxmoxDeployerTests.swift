import Foundation
import Proxmox
import ProxmoxSimulator
import Testing

/// Thrown by the test hook to interrupt apply after a given request.
struct Interrupted: Error {}

/// Counts state-changing requests and throws after the chosen one.
final class AbortCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    let abortAfter: Int?
    init(abortAfter: Int?) { self.abortAfter = abortAfter }
    var hooks: ProxmoxClientHooks {
        ProxmoxClientHooks { _, _ in
            self.lock.lock()
            self.count += 1
            let now = self.count
            self.lock.unlock()
            if let limit = self.abortAfter, now == limit { throw Interrupted() }
        }
    }
    var total: Int { lock.lock(); defer { lock.unlock() }; return count }
}

@Suite("Proxmox plan and apply against the simulator")
struct ProxmoxDeployerTests {
    @Test("plan, apply, then plan again shows nothing to do; a second apply changes nothing")
    func planApplyPlan() async throws {
        try await Fixtures.withSimulator { simulator in
            try await ProxmoxClient.with(simulator.connection()) { client in
                let deployer = ProxmoxDeployer(client: client, input: Fixtures.input())
                let first = try await deployer.plan()
                #expect(first.errors.isEmpty)
                #expect(first.downloadImage)
                #expect(first.vms.map(\.action) == [.create, .create])
                #expect(first.hasChanges)
                try await deployer.apply()
                let second = try await deployer.plan()
                #expect(!second.hasChanges, "\(second.renderText())")
                #expect(second.vms.map(\.action) == [.unchanged, .unchanged])
                let requests = simulator.state.requests
                #expect(requests.allSatisfy { $0.template != nil && $0.status < 400 }, "every request matched the schema and succeeded: \(requests.filter { $0.status >= 400 })")
                #expect(Set(requests.compactMap(\.template)).isSuperset(of: ["/nodes/{node}/qemu", "/nodes/{node}/storage/{storage}/download-url", "/nodes/{node}/tasks/{upid}/status", "/nodes/{node}/qemu/{vmid}/status/start"]))
                simulator.state.clearRecorded()
                try await deployer.apply()
                #expect(simulator.state.mutatingRequests.isEmpty)
            }
            let vm = try #require(simulator.state.vm(214))
            #expect(vm.running)
            #expect(vm.config["cpu"] == "host")
            #expect(vm.config["scsihw"] == "virtio-scsi-single")
            #expect(vm.config["scsi0"] == "local-lvm:vm-214-disk-0,discard=on,iothread=1,size=48G,ssd=1")
            #expect(vm.config["net0"] == "virtio=BC:24:11:00:02:14,bridge=vmbr0")
            #expect(vm.config["agent"] == "enabled=1")
            #expect(vm.config["balloon"] == "0")
            #expect(vm.config["boot"] == "order=scsi0;ide2")
            #expect(vm.config["ide0"] == "local-lvm:vm-214-cloudinit,media=cdrom")
            #expect(vm.config["ide2"] == "local:iso/talos-v1.13.9-ce4c980550dd-nocloud-amd64.iso,media=cdrom")
            #expect(vm.config["ipconfig0"] == "ip=192.168.1.214/24,gw=192.168.1.1")
            #expect(vm.config["nameserver"] == "192.168.1.1")
            #expect(vm.config["tags"] == "homeport;prox-n100;controlplane")
            #expect(simulator.state.allVolumes.contains("local:iso/talos-v1.13.9-ce4c980550dd-nocloud-amd64.iso"))
        }
    }

    @Test("apply interrupted after each of its state-changing requests finishes on the next run")
    func resumesAfterEveryInterruption() async throws {
        // The reference: a clean apply and the number of state-changing requests it makes.
        var reference: [String] = []
        var total = 0
        try await Fixtures.withSimulator { simulator in
            let counter = AbortCounter(abortAfter: nil)
            try await ProxmoxClient.with(simulator.connection(), hooks: counter.hooks) { client in
                try await ProxmoxDeployer(client: client, input: Fixtures.input()).apply()
            }
            await simulator.state.settle()
            reference = Fixtures.snapshot(simulator.state)
            total = counter.total
        }
        guard !reference.isEmpty else { return }
        #expect(total == 5, "download, 2 creates and 2 starts expected, got \(total)")
        for index in 1...total {
            try await Fixtures.withSimulator { simulator in
                let counter = AbortCounter(abortAfter: index)
                do {
                    try await ProxmoxClient.with(simulator.connection(), hooks: counter.hooks) { client in
                        try await ProxmoxDeployer(client: client, input: Fixtures.input()).apply()
                    }
                    Issue.record("apply was not interrupted at \(index)")
                } catch is Interrupted {}
                try await ProxmoxClient.with(simulator.connection()) { client in
                    let deployer = ProxmoxDeployer(client: client, input: Fixtures.input())
                    try await deployer.apply()
                    let after = try await deployer.plan()
                    #expect(!after.hasChanges)
                }
                await simulator.state.settle()
                #expect(Fixtures.snapshot(simulator.state) == reference, "after an interruption at request \(index)")
            }
        }
    }

    @Test("changes to a running VM are applied without a reboot and shown as pending")
    func runningVMNeverRebooted() async throws {
        try await Fixtures.withSimulator { simulator in
            try await ProxmoxClient.with(simulator.connection()) { client in
                try await ProxmoxDeployer(client: client, input: Fixtures.input()).apply()
                var input = Fixtures.input()
                input.vms[1].memoryMiB = 6144
                input.vms[1].diskGiB = 100
                let deployer = ProxmoxDeployer(client: client, input: input)
                let plan = try await deployer.plan()
                let worker = try #require(plan.vms.last)
                #expect(worker.action == .update)
                #expect(worker.changes.map(\.key).sorted() == ["memory", "scsi0"])
                #expect(worker.pendingUntilRestart == ["memory"])
                #expect(plan.renderText().contains("memory 7168 → 6144"))
                simulator.state.clearRecorded()
                try await deployer.apply()
                let paths = simulator.state.mutatingRequests.map { "\($0.method) \($0.path)" }
                #expect(!paths.contains { $0.contains("/status/") }, "no start, stop, shutdown or reboot: \(paths)")
                #expect(paths.contains("PUT /nodes/pve/qemu/215/resize"))
                #expect(simulator.state.vm(215)?.pending["memory"] == "6144")
                #expect(simulator.state.vm(215)?.config["scsi0"]?.contains("size=100G") == true)
                let again = try await deployer.plan()
                #expect(!again.hasChanges)
                #expect(again.vms.last?.pendingUntilRestart == ["memory"])
                let status = try await deployer.status()
                #expect(status.map(\.state) == ["running", "running"])
                #expect(status.last?.pendingKeys == ["memory"])
            }
        }
    }

    @Test("shrinking a disk, a foreign VMID, and too much memory are refused; too many cores only warn")
    func refusals() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.addVM(SimulatedVM(vmid: 215, node: "pve", config: ["name": "plex", "tags": "media"]))
            try await ProxmoxClient.with(simulator.connection()) { client in
                var input = Fixtures.input()
                input.vms[0].cores = 8
                input.vms[0].memoryMiB = 12288
                let plan = try await ProxmoxDeployer(client: client, input: input).plan()
                #expect(plan.warnings.contains { $0.contains("8 cores") && $0.contains("4 CPUs") })
                #expect(plan.errors.contains { $0.contains("VMID 215") && $0.contains("plex") })
                #expect(plan.errors.contains { $0.contains("MiB") && $0.contains("16384") })
                simulator.state.clearRecorded()
                await #expect(throws: ProxmoxError.self) { try await ProxmoxDeployer(client: client, input: input).apply() }
                #expect(simulator.state.mutatingRequests.isEmpty)
            }
        }
        try await Fixtures.withSimulator { simulator in
            try await ProxmoxClient.with(simulator.connection()) { client in
                try await ProxmoxDeployer(client: client, input: Fixtures.input()).apply()
                var input = Fixtures.input()
                input.vms[0].diskGiB = 20
                input.storage = "local-lvm"
                let plan = try await ProxmoxDeployer(client: client, input: input).plan()
                #expect(plan.errors.contains { $0.contains("48 GiB") && $0.contains("never shrink") })
            }
        }
    }

    @Test("destroy removes only the VMs tagged with the cluster")
    func destroyOnlyTagged() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.addVM(SimulatedVM(vmid: 100, node: "pve", config: ["name": "other", "tags": "homeport;other-cluster"], running: true))
            try await ProxmoxClient.with(simulator.connection()) { client in
                let deployer = ProxmoxDeployer(client: client, input: Fixtures.input())
                try await deployer.apply()
                let removed = try await deployer.destroy()
                #expect(removed == ["talos-cp-1", "talos-w-1"])
            }
            await simulator.state.settle()
            #expect(simulator.state.allVMs.map(\.vmid) == [100])
        }
    }

    @Test("faults during apply: 5xx on create is retried, a failed ISO download is reported")
    func applyFaults() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.inject(.status(503, "Service Unavailable"), method: "POST", path: "/nodes/pve/qemu", times: 2)
            try await ProxmoxClient.with(simulator.connection()) { client in
                try await ProxmoxDeployer(client: client, input: Fixtures.input()).apply()
            }
            #expect(simulator.state.vm(214)?.running == true)
        }
        try await Fixtures.withSimulator { simulator in
            simulator.state.inject(.failTask("download failed: 404 Not Found"), path: "/download-url")
            do {
                try await ProxmoxClient.with(simulator.connection()) { client in
                    try await ProxmoxDeployer(client: client, input: Fixtures.input()).apply()
                }
                Issue.record("expected the download to fail")
            } catch let error as ProxmoxError {
                #expect(error.description.contains("404 Not Found"))
            }
            #expect(simulator.state.allVMs.isEmpty)
        }
    }
}
