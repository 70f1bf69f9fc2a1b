import Foundation
import Proxmox
import ProxmoxSimulator
import Testing

@Suite("The read-only Proxmox access mode sends only GET requests")
struct ReadOnlyAccessTests {
    @Test("a POST through a read-only connection is refused before it reaches the host")
    func postNeverReachesTheHost() async throws {
        try await Fixtures.withSimulator { simulator in
            let connection = simulator.connection().readOnly
            #expect(connection.access == .readOnly)
            try await ProxmoxClient.with(connection) { client in
                let version = try await client.get("/version")
                #expect(version["version"] != nil)
                let before = simulator.state.requests
                #expect(before.allSatisfy { $0.method == "GET" })
                await #expect(throws: ProxmoxReadOnlyViolation(method: "POST", path: "/nodes/pve/qemu")) {
                    try await client.request(.post, "/nodes/pve/qemu", ["vmid": "900", "name": "intruder"])
                }
                await #expect(throws: ProxmoxReadOnlyViolation.self) { try await client.runTask(.delete, "/nodes/pve/qemu/214") }
                await #expect(throws: ProxmoxReadOnlyViolation.self) { try await client.request(.put, "/nodes/pve/qemu/214/resize", ["disk": "scsi0"]) }
                // Not one request more arrived, and none changed anything.
                #expect(simulator.state.requests == before)
                #expect(simulator.state.mutatingRequests.isEmpty)
            }
        }
    }

    @Test("a deployer on a read-only connection plans, and its apply creates nothing")
    func deployerPlansButCannotApply() async throws {
        try await Fixtures.withSimulator { simulator in
            try await ProxmoxClient.with(simulator.connection().readOnly) { client in
                let deployer = ProxmoxDeployer(client: client, input: Fixtures.input())
                let plan = try await deployer.plan()
                #expect(plan.hasChanges)
                await #expect(throws: ProxmoxReadOnlyViolation.self) { _ = try await deployer.apply() }
            }
            #expect(simulator.state.requests.allSatisfy { $0.method == "GET" })
            #expect(simulator.state.allVMs.isEmpty)
        }
    }

    @Test("the violation names the request and says nothing was sent")
    func message() {
        let text = "\(ProxmoxReadOnlyViolation(method: "DELETE", path: "/nodes/pve/qemu/214"))"
        #expect(text.contains("DELETE /nodes/pve/qemu/214") && text.contains("nothing was sent"))
    }
}
