import Foundation
import Proxmox
import ProxmoxSimulator
import Testing
import TestSupport

@Suite("homeport proxmox against the simulator, as a user runs it")
struct ProxmoxCLITests {
    static var binary: String? {
        let path = SharedData.packageRoot + "/.build/debug/homeport"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static func definition(endpoint: String, fingerprint: String) throws -> String {
        let reference = try String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
        return reference
            .replacingOccurrences(of: "endpoint: https://192.168.1.10:8006", with: "endpoint: \(endpoint)\n  fingerprint: \"\(fingerprint)\"")
    }

    @Test("plan, plan --format json, apply, plan again, status, destroy (refused without --yes)")
    func cliRoundTrip() async throws {
        guard let binary = Self.binary else {
            if SharedData.isCI { Issue.record("the homeport binary was not built") }
            print("SKIPPED: .build/debug/homeport not built")
            return
        }
        try await UpTests.withSimulator { simulator in
            let repo = try TemporaryRepo(files: [
                "config/clusters/prox-n100.yaml": try Self.definition(endpoint: simulator.endpoint.absoluteString, fingerprint: simulator.certificate.fingerprint),
            ])
            try repo.git("init", "--quiet")
            let env = ["PROXMOX_TOKEN_SECRET": ProxmoxSimulator.tokenSecret]
            func homeport(_ arguments: String...) throws -> TestProcess.Result {
                try TestProcess.run(binary, Array(arguments) + ["--repo", repo.root], environment: env)
            }
            let plan = try homeport("proxmox", "plan")
            #expect(plan.status == 0, "\(plan.standardError)")
            #expect(plan.standardOutput.contains("download  local:iso/talos-v1.14.0-ce4c980550dd-nocloud-amd64.iso"))
            #expect(plan.standardOutput.contains("create    talos-cp-1 (VMID 214): 2 cores, 5120 MiB"))
            let json = try homeport("proxmox", "plan", "--format", "json")
            let parsed = try #require(JSONValue.parse(Data(json.standardOutput.utf8)))
            #expect(parsed["vms"]?.array?.count == 2)
            #expect(simulator.state.mutatingRequests.isEmpty, "plan changes nothing")
            let apply = try homeport("proxmox", "apply")
            #expect(apply.status == 0, "\(apply.standardError)")
            #expect(apply.standardOutput.contains("created talos-cp-1") && apply.standardOutput.contains("started talos-w-1"))
            let again = try homeport("proxmox", "plan")
            #expect(again.standardOutput.contains("Nothing to do."))
            let status = try homeport("proxmox", "status")
            #expect(status.status == 0)
            #expect(status.standardOutput.contains("talos-cp-1 (VMID 214): running"))
            let refused = try homeport("proxmox", "destroy")
            #expect(refused.status == 2)
            #expect(simulator.state.allVMs.count == 2)
            let destroyed = try homeport("proxmox", "destroy", "--yes")
            #expect(destroyed.status == 0, "\(destroyed.standardError)")
            await simulator.state.settle()
            #expect(simulator.state.allVMs.isEmpty)
            #expect(!(plan.standardOutput + apply.standardOutput + apply.standardError).contains(ProxmoxSimulator.tokenSecret))
        }
    }

    @Test("a wrong pinned fingerprint stops the CLI with both fingerprints and no request")
    func wrongFingerprint() async throws {
        guard let binary = Self.binary else { print("SKIPPED: .build/debug/homeport not built"); return }
        try await UpTests.withSimulator { simulator in
            let wrong = String(repeating: "AB:", count: 31) + "AB"
            let repo = try TemporaryRepo(files: ["config/clusters/prox-n100.yaml": try Self.definition(endpoint: simulator.endpoint.absoluteString, fingerprint: wrong)])
            try repo.git("init", "--quiet")
            let result = try TestProcess.run(binary, ["proxmox", "plan", "--repo", repo.root], environment: ["PROXMOX_TOKEN_SECRET": ProxmoxSimulator.tokenSecret])
            #expect(result.status == 1)
            #expect(result.standardError.contains(wrong) && result.standardError.contains(simulator.certificate.fingerprint))
            #expect(simulator.state.requests.isEmpty)
        }
    }
}
