import Foundation
import Proxmox
import ProxmoxSimulator
import Testing

@Suite("Interrupted updates resume")
struct ResumeUpdateTests {
    /// The reference cluster, applied, with the worker stopped; then the definition changes.
    static func prepare(_ simulator: ProxmoxSimulator) async throws {
        try await ProxmoxClient.with(simulator.connection()) { client in
            try await ProxmoxDeployer(client: client, input: Fixtures.input()).apply()
            try await client.runTask(.post, "/nodes/pve/qemu/215/status/shutdown", ["forceStop": "1"])
        }
        await simulator.state.settle()
    }

    static var changed: ProxmoxPlanInput {
        var input = Fixtures.input()
        input.vms[1].memoryMiB = 6144
        input.vms[1].cores = 2
        input.vms[1].diskGiB = 120
        input.nameservers = ["192.168.1.1", "1.1.1.1"]
        return input
    }

    @Test("an update interrupted after each of its state-changing requests finishes on the next run")
    func resumes() async throws {
        var reference: [String] = []
        var total = 0
        try await Fixtures.withSimulator { simulator in
            try await Self.prepare(simulator)
            let counter = AbortCounter(abortAfter: nil)
            try await ProxmoxClient.with(simulator.connection(), hooks: counter.hooks) { client in
                let plan = try await ProxmoxDeployer(client: client, input: Self.changed).apply()
                #expect(plan.vms.map(\.action) == [.update, .update])
                #expect(plan.vms[1].changes.map(\.key).sorted() == ["cores", "memory", "nameserver", "scsi0"])
            }
            await simulator.state.settle()
            reference = Fixtures.snapshot(simulator.state)
            total = counter.total
        }
        guard !reference.isEmpty else { return }
        #expect(total == 4, "config of both VMs, the resize and the worker's start; got \(total)")
        #expect(reference.contains("  scsi0=local-lvm:vm-215-disk-0,discard=on,iothread=1,size=120G,ssd=1"))
        #expect(reference.contains("  memory=6144"))
        for index in 1...total {
            try await Fixtures.withSimulator { simulator in
                try await Self.prepare(simulator)
                let counter = AbortCounter(abortAfter: index)
                do {
                    try await ProxmoxClient.with(simulator.connection(), hooks: counter.hooks) { client in
                        try await ProxmoxDeployer(client: client, input: Self.changed).apply()
                    }
                    Issue.record("apply was not interrupted at \(index)")
                } catch is Interrupted {}
                try await ProxmoxClient.with(simulator.connection()) { client in
                    let deployer = ProxmoxDeployer(client: client, input: Self.changed)
                    try await deployer.apply()
                    let after = try await deployer.plan()
                    #expect(!after.hasChanges)
                }
                await simulator.state.settle()
                #expect(Fixtures.snapshot(simulator.state) == reference, "after an interruption at request \(index)")
            }
        }
    }
}
