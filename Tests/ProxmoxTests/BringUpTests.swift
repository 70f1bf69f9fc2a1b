import Foundation
import Proxmox
import ProxmoxSimulator
import Testing

/// A prober that never touches the network: it answers from a table and records what it was
/// asked, so tests can check that LAN addresses from a definition are never really probed.
final class ScriptedProber: AddressProber, @unchecked Sendable {
    private let lock = NSLock()
    private var asked: [String] = []
    let answers: [String: ProbeResult]

    init(_ answers: [String: ProbeResult] = [:]) { self.answers = answers }

    func probe(_ address: String, port: Int) async -> ProbeResult {
        lock.withLock { asked.append("\(address):\(port)") }
        return answers["\(address):\(port)"] ?? answers[address] ?? .silent
    }

    var questions: [String] { lock.withLock { asked } }
}

@Suite("Bring-up you can see: per-node view and diagnoses from the simulator's state")
struct BringUpTests {
    static let dhcpRange = (first: "192.168.1.100", last: "192.168.1.199")

    /// Applies the reference VMs, lets `prepare` change the simulated world, then observes
    /// talos-cp-1 through the Proxmox API.
    static func observeControlPlane(prober: ScriptedProber = ScriptedProber(),
                                    prepare: @escaping @Sendable (ProxmoxSimulator, ProxmoxClient) async throws -> Void) async throws -> BringUpObservation? {
        var result: BringUpObservation?
        try await Fixtures.withSimulator { simulator in
            try await ProxmoxClient.with(simulator.connection()) { client in
                let input = Fixtures.input()
                try await ProxmoxDeployer(client: client, input: input).apply()
                try await prepare(simulator, client)
                result = try await BringUpObserver(client: client, input: input, prober: prober).observe(input.vms[0])
            }
        }
        return result
    }

    @Test("a stopped VM is named as such, with where to look and how to start it")
    func vmStopped() async throws {
        guard let observation = try await Self.observeControlPlane(prepare: { _, client in
            try await client.runTask(.post, "/nodes/pve/qemu/214/status/stop")
        }) else { return }
        #expect(observation.power == .stopped)
        #expect(observation.agent == .notAsked)
        let diagnosis = BringUpDiagnosis.diagnose(observation)
        #expect(diagnosis.cause == .vmStopped)
        #expect(diagnosis.finding == "VM 214 (talos-cp-1) on pve is stopped")
        #expect(diagnosis.nextStep.contains("qm start 214"))
        #expect(BringUpDiagnosis.viewLine(observation) == "talos-cp-1  pve/214  stopped  agent: -  maintenance API at 192.168.1.214: no answer")
    }

    @Test("a guest that took a DHCP address means the cloud-init network data was not applied")
    func dhcpAddress() async throws {
        guard let observation = try await Self.observeControlPlane(prepare: { simulator, _ in
            simulator.state.setGuestNetwork(.dhcp("192.168.1.150"), vmid: 214)
        }) else { return }
        #expect(observation.power == .running)
        #expect(observation.agent == .addresses(["192.168.1.150"]))
        let diagnosis = BringUpDiagnosis.diagnose(observation, dhcpRange: Self.dhcpRange)
        #expect(diagnosis.cause == .otherAddress)
        #expect(diagnosis.finding == "VM 214 (talos-cp-1) on pve took 192.168.1.150 (inside the DHCP range 192.168.1.100-192.168.1.199) instead of 192.168.1.214: the cloud-init network data was not applied, so the guest asked DHCP")
        #expect(diagnosis.nextStep.contains("qm cloudinit dump 214 network"))
        #expect(BringUpDiagnosis.viewLine(observation).contains("running  agent: 192.168.1.150  maintenance API at 192.168.1.214: no answer"))
    }

    @Test("no address at all points at the bridge and VLAN")
    func noAddress() async throws {
        guard let observation = try await Self.observeControlPlane(prepare: { simulator, _ in
            simulator.state.setGuestNetwork(.noAddress, vmid: 214)
        }) else { return }
        #expect(observation.agent == .addresses([]), "loopback does not count")
        let diagnosis = BringUpDiagnosis.diagnose(observation, dhcpRange: Self.dhcpRange)
        #expect(diagnosis.cause == .noAddress)
        #expect(diagnosis.nextStep.contains("proxmox.bridge") && diagnosis.nextStep.contains("VLAN tag"))
        #expect(BringUpDiagnosis.viewLine(observation).contains("agent: no address"))
    }

    @Test("a guest agent that does not answer sends you to the console")
    func agentSilent() async throws {
        guard let observation = try await Self.observeControlPlane(prepare: { simulator, _ in
            simulator.state.setGuestNetwork(.noAgent, vmid: 214)
        }) else { return }
        #expect(observation.agent == .silent("QEMU guest agent is not running"))
        let diagnosis = BringUpDiagnosis.diagnose(observation)
        #expect(diagnosis.cause == .agentSilent)
        #expect(diagnosis.nextStep.contains("console") && diagnosis.nextStep.contains("siderolabs/qemu-guest-agent"))
    }

    @Test("the planned address without a maintenance API, and a VM that is gone")
    func apiSilentAndMissing() async throws {
        let prober = ScriptedProber()
        guard let applied = try await Self.observeControlPlane(prober: prober, prepare: { _, _ in }) else { return }
        #expect(applied.agent == .addresses(["192.168.1.214"]), "cloud-init's address, read from the VM's ipconfig0")
        #expect(BringUpDiagnosis.diagnose(applied).cause == .apiSilent)
        #expect(prober.questions == ["192.168.1.214:50000"], "the LAN address went to the scripted prober only")

        guard let gone = try await Self.observeControlPlane(prepare: { _, client in
            try await client.runTask(.post, "/nodes/pve/qemu/214/status/stop")
            try await client.runTask(.delete, "/nodes/pve/qemu/214", ["purge": "1"])
        }) else { return }
        #expect(gone.power == .missing)
        #expect(BringUpDiagnosis.diagnose(gone).cause == .vmMissing)
    }

    @Test("ready when the maintenance API answers: probed for real on loopback")
    func readyOnLoopback() async throws {
        try await Fixtures.withSimulator { simulator in
            try await ProxmoxClient.with(simulator.connection()) { client in
                var input = Fixtures.input()
                input.vms = [input.vms[0]]
                input.vms[0].address = "127.0.0.1"
                try await ProxmoxDeployer(client: client, input: input).apply()
                // The simulator's own listener stands in for Talos' API on 127.0.0.1.
                let observer = BringUpObserver(client: client, input: input, prober: TCPProber(timeout: .seconds(2)), port: simulator.port)
                let observation = try #require(try await observer.observeAll().first)
                #expect(observation.maintenanceAPI == .accepted)
                #expect(observation.agent == .addresses([]), "loopback addresses are not reported as the guest's")
                #expect(BringUpDiagnosis.diagnose(observation).cause == .ready)
                #expect(BringUpDiagnosis.viewLine(observation).hasSuffix("maintenance API at 127.0.0.1: answers"))
                #expect(BringUpDiagnosis.timeoutReport([observation], waitedSeconds: 600) == "Talos did not answer within 600 s:")
            }
        }
    }

    @Test("the timeout report names each node's cause and next step")
    func timeoutReport() {
        let stopped = BringUpObservation(name: "talos-cp-1", node: "pve", vmid: 214, plannedAddress: "192.168.1.214", power: .stopped, agent: .notAsked, maintenanceAPI: .silent)
        let leased = BringUpObservation(name: "talos-w-1", node: "pve2", vmid: 215, plannedAddress: "192.168.1.215", power: .running, agent: .addresses(["10.1.1.7"]), maintenanceAPI: .silent)
        let report = BringUpDiagnosis.timeoutReport([stopped, leased], waitedSeconds: 600, dhcpRange: Self.dhcpRange)
        let lines = report.split(separator: "\n").map(String.init)
        #expect(lines.first == "Talos did not answer within 600 s:")
        #expect(lines.count == 5)
        #expect(lines[1] == "  talos-cp-1: VM 214 (talos-cp-1) on pve is stopped")
        #expect(lines[3] == "  talos-w-1: VM 215 (talos-w-1) on pve2 has 10.1.1.7, not the planned 192.168.1.215", "outside the DHCP range it is not called a lease")
        #expect(lines[4].hasPrefix("    next: another network configuration won"))
    }
}

@Suite("Before creating a VM, nothing may answer at its planned address")
struct PlannedAddressCheckTests {
    @Test("only VMs about to be created are probed; an answer on any port is a problem, silence is not")
    func scripted() async {
        var input = Fixtures.input()
        input.vms.append(VMSpec(name: "talos-w-2", role: "worker", vmid: 216, cores: 1, memoryMiB: 2048, diskGiB: 20, mac: "BC:24:11:00:02:16", address: "192.168.1.216"))
        let host = HostInventory(node: "pve", memoryBytes: 32 << 30, cpus: 8, storages: ["local", "local-lvm"], isoPresent: true)
        var plan = VMPlan.make(input: input, inventory: ProxmoxInventory(vms: [], host: host))
        plan.vms[0].action = .unchanged
        let prober = ScriptedProber(["192.168.1.215:22": .refused, "192.168.1.216": .silent])
        let problems = await PlannedAddressCheck.problems(plan: plan, input: input, prober: prober)
        #expect(problems == ["192.168.1.215, planned for talos-w-1, already answers (TCP port 22 refused): another machine holds it; nothing was created: pick a free address in the cluster definition or switch that machine off"])
        #expect(prober.questions == ["192.168.1.215:50000", "192.168.1.215:22", "192.168.1.216:50000", "192.168.1.216:22"], "the existing VM 214 is not probed")
    }

    @Test("the TCP prober on loopback: a listener is accepted, a closed port is refused, both mean taken")
    func loopback() async throws {
        try await Fixtures.withSimulator { simulator in
            let prober = TCPProber(timeout: .seconds(2))
            #expect(await prober.probe("127.0.0.1", port: simulator.port) == .accepted)
            #expect(await prober.probe("127.0.0.1", port: 1) == .refused)
            #expect(await prober.probe("not-an-address", port: 22) == .silent)
            var input = Fixtures.input()
            input.vms[0].address = "127.0.0.1"
            input.vms[1].address = "127.0.0.1"
            let host = HostInventory(node: "pve", memoryBytes: 32 << 30, cpus: 8, storages: ["local", "local-lvm"], isoPresent: true)
            let plan = VMPlan.make(input: input, inventory: ProxmoxInventory(vms: [], host: host))
            let problems = await PlannedAddressCheck.problems(plan: plan, input: input, prober: prober, ports: [simulator.port])
            #expect(problems.count == 2)
            #expect(problems.allSatisfy { $0.contains("already answers (TCP port \(simulator.port) accepted)") })
        }
    }
}
