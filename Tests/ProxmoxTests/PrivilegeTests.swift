import Foundation
import Proxmox
import ProxmoxSimulator
import Testing
import TestSupport

@Suite("The privileges of proxmox_bootstrap_nocluster.sh")
struct PrivilegeTests {
    /// The PRIVILEGES list of the script.
    static func scriptPrivileges() throws -> [String] {
        let script = try String(contentsOfFile: SharedData.packageRoot + "/infrastructure/proxmox/proxmox_bootstrap_nocluster.sh", encoding: .utf8)
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("PRIVILEGES=") })
        return line.dropFirst("PRIVILEGES=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).split(separator: " ").map(String.init)
    }

    static func lifecycle(_ simulator: ProxmoxSimulator) async throws {
        try await ProxmoxClient.with(simulator.connection()) { client in
            let deployer = ProxmoxDeployer(client: client, input: Fixtures.input())
            try await deployer.apply()
            var grown = Fixtures.input()
            grown.vms[0].diskGiB = 50
            try await ProxmoxDeployer(client: client, input: grown).apply()
            _ = try await deployer.status()
            _ = try await deployer.destroy()
        }
    }

    @Test("plan, apply, resize, status and destroy work with exactly the script's privileges")
    func sufficient() async throws {
        let privileges = try Self.scriptPrivileges()
        #expect(privileges.count == 16)
        try await Fixtures.withSimulator { simulator in
            simulator.state.grantedPrivileges = Set(privileges)
            try await Self.lifecycle(simulator)
            #expect(simulator.state.requests.allSatisfy { $0.status != 403 })
        }
    }

    @Test("every privilege of the script is needed", arguments: ["VM.Allocate", "VM.Audit", "VM.Config.CPU", "VM.Config.Memory",
                                                                  "VM.Config.Disk", "VM.Config.CDROM", "VM.Config.Network", "VM.Config.HWType",
                                                                  "VM.Config.Options", "VM.Config.Cloudinit", "VM.PowerMgmt",
                                                                  "Datastore.AllocateSpace", "Datastore.AllocateTemplate", "Sys.AccessNetwork",
                                                                  "Sys.Audit", "SDN.Use"])
    func necessary(_ privilege: String) async throws {
        let privileges = try Self.scriptPrivileges()
        #expect(privileges.contains(privilege))
        try await Fixtures.withSimulator { simulator in
            simulator.state.grantedPrivileges = Set(privileges).subtracting([privilege])
            do {
                try await Self.lifecycle(simulator)
                Issue.record("the lifecycle worked without \(privilege)")
            } catch let error as ProxmoxError {
                // Either a 403 naming it, or (for listing privileges) a plan that cannot see what it needs.
                if case .forbidden(_, _, let missing, _, _) = error {
                    #expect(missing?.contains(privilege) == true, "\(error)")
                }
            }
        }
    }
}

@Suite("Privileges beyond the script: passthrough and guest-agent addresses")
struct ExtraPrivilegeTests {
    @Test("pciMapping needs Mapping.Use: without it the mapping is invisible and the plan says what to grant")
    func passthroughNeedsMappingUse() async throws {
        let privileges = Set(try PrivilegeTests.scriptPrivileges())
        try await Fixtures.withSimulator { simulator in
            TwoHosts.prepare(simulator.state)
            simulator.state.grantedPrivileges = privileges
            try await ProxmoxClient.with(simulator.connection()) { client in
                let deployer = ProxmoxDeployer(client: client, input: TwoHosts.input())
                let plan = try await deployer.plan()
                #expect(plan.errors.count == 1)
                #expect(plan.errors.first?.contains("give the token Mapping.Use on /mapping/pci/igpu") == true, "\(plan.errors)")
                simulator.state.grantedPrivileges = privileges.union(["Mapping.Use"])
                try await deployer.apply()
            }
            #expect(simulator.state.vm(215)?.config["hostpci0"] == "mapping=igpu,pcie=1")
            #expect(simulator.state.requests.filter { $0.status == 403 }.isEmpty)
        }
    }

    @Test("without VM.GuestAgent.Audit the observation says so instead of failing the bring-up")
    func guestAgentNeedsAudit() async throws {
        let privileges = Set(try PrivilegeTests.scriptPrivileges())
        try await Fixtures.withSimulator { simulator in
            simulator.state.grantedPrivileges = privileges
            try await ProxmoxClient.with(simulator.connection()) { client in
                let input = Fixtures.input()
                try await ProxmoxDeployer(client: client, input: input).apply()
                let observer = BringUpObserver(client: client, input: input, prober: ScriptedProber())
                let blind = try await observer.observe(input.vms[0])
                #expect(blind.agent == .silent("the token lacks VM.GuestAgent.Audit on /vms/214 to ask the guest agent"), "\(blind.agent)")
                simulator.state.grantedPrivileges = privileges.union(["VM.GuestAgent.Audit"])
                #expect(try await observer.observe(input.vms[0]).agent == .addresses(["192.168.1.214"]))
            }
        }
    }
}
