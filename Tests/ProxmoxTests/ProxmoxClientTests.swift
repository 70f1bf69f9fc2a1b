import Foundation
import Proxmox
import ProxmoxSimulator
import Testing

@Suite("Proxmox client against the simulator")
struct ProxmoxClientTests {
    @Test("a pinned fingerprint that matches lets requests through, and nextid decodes from a string")
    func pinnedFingerprint() async throws {
        try await Fixtures.withSimulator { simulator in
            try await ProxmoxClient.with(simulator.connection()) { client in
                let version = try await client.get("/version")
                #expect(version["release"]?.string == "9.1")
                let next = try await client.get("/cluster/nextid")
                #expect(next.string == "100")
                #expect(next.int == 100)
            }
        }
    }

    @Test("a wrong fingerprint is refused before any request is sent, naming both fingerprints")
    func wrongFingerprint() async throws {
        try await Fixtures.withSimulator { simulator in
            let other = try SelfSignedCertificate(commonName: "someone-else")
            let connection = simulator.connection(trust: .fingerprint(other.fingerprint))
            do {
                _ = try await ProxmoxClient.with(connection) { client in try await client.get("/version") }
                Issue.record("the request went through")
            } catch let error as ProxmoxError {
                #expect(error == .fingerprintMismatch(expected: other.fingerprint, actual: simulator.certificate.fingerprint))
                #expect(error.description.contains(other.fingerprint) && error.description.contains(simulator.certificate.fingerprint))
            }
            #expect(simulator.state.requests.isEmpty, "no HTTP request may reach the server")
        }
    }

    @Test("a CA file trusts the simulator; the system store does not")
    func caFileAndSystemStore() async throws {
        try await Fixtures.withSimulator { simulator in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pve-root-ca-\(UUID().uuidString).pem")
            try simulator.certificate.pem.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let version = try await ProxmoxClient.with(simulator.connection(trust: .caFile(file.path))) { try await $0.get("/version") }
            #expect(version["version"]?.string == "9.1.3")
            do {
                _ = try await ProxmoxClient.with(simulator.connection(trust: .systemStore)) { try await $0.get("/version") }
                Issue.record("an untrusted self-signed certificate was accepted")
            } catch let error as ProxmoxError {
                guard case .tls = error else { Issue.record("expected a TLS error, got \(error)"); return }
            }
            #expect(simulator.state.requests.count == 1)
        }
    }

    @Test("a wrong token secret gives a 401 error that names the token")
    func unauthorized() async throws {
        try await Fixtures.withSimulator { simulator in
            await #expect(throws: ProxmoxError.unauthorized(tokenID: ProxmoxSimulator.tokenID)) {
                _ = try await ProxmoxClient.with(simulator.connection(secret: "00000000-0000-0000-0000-000000000000")) { try await $0.get("/version") }
            }
        }
    }

    @Test("a 403 names the missing privilege and its path")
    func forbidden() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.grantedPrivileges = ["VM.Audit"]
            do {
                _ = try await ProxmoxClient.with(simulator.connection()) { try await $0.get("/nodes/pve/status") }
                Issue.record("expected 403")
            } catch let error as ProxmoxError {
                guard case .forbidden(_, _, let privilege, let path, _) = error else { Issue.record("got \(error)"); return }
                #expect(privilege == "Sys.Audit")
                #expect(path == "/nodes/pve")
                #expect(error.description.contains("Sys.Audit"))
            }
        }
    }

    @Test("transient 5xx answers are retried with backoff, and give up after the bounded attempts")
    func retries() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.inject(.status(503, "Service Unavailable"), path: "/version", times: 2)
            let version = try await ProxmoxClient.with(simulator.connection()) { try await $0.get("/version") }
            #expect(version["release"]?.string == "9.1")
            #expect(simulator.state.requests.filter { $0.path == "/version" }.map(\.status) == [503, 503, 200])
            simulator.state.inject(.status(596, "Connection timed out"), path: "/nodes", times: 10)
            do {
                _ = try await ProxmoxClient.with(simulator.connection()) { try await $0.get("/nodes") }
                Issue.record("expected failure")
            } catch let error as ProxmoxError {
                #expect(error == .http(method: "GET", path: "/nodes", status: 596, message: "Connection timed out"))
            }
            #expect(simulator.state.requests.filter { $0.path == "/nodes" }.count == 3)
        }
    }

    @Test("a request that times out is retried")
    func timeoutRetried() async throws {
        try await Fixtures.withSimulator { simulator in
            var timing = ProxmoxSimulator.fastTiming
            timing.requestTimeout = .seconds(5)
            simulator.state.inject(.timeout, path: "/version", times: 1)
            let version = try await ProxmoxClient.with(simulator.connection(timing: timing)) { try await $0.get("/version") }
            #expect(version["release"]?.string == "9.1")
            #expect(simulator.state.requests.filter { $0.path == "/version" }.count == 2)
        }
    }

    @Test("a plain 500 on a POST is not retried and carries Proxmox's message")
    func noRetryOnPost500() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.inject(.status(500, "VM 214 already exists"), method: "POST", path: "/qemu", times: 5)
            do {
                _ = try await ProxmoxClient.with(simulator.connection()) { try await $0.request(.post, "/nodes/pve/qemu", ["vmid": "214"]) }
                Issue.record("expected failure")
            } catch let error as ProxmoxError {
                #expect(error.description.contains("VM 214 already exists"))
            }
            #expect(simulator.state.requests.count == 1)
        }
    }

    @Test("the simulator rejects what Proxmox rejects, with per-parameter errors")
    func parameterValidation() async throws {
        try await Fixtures.withSimulator { simulator in
            try await ProxmoxClient.with(simulator.connection()) { client in
                do {
                    _ = try await client.request(.post, "/nodes/pve/qemu", [
                        "vmid": "42", "scsihw": "virtio-scsi-fancy", "colour": "red",
                        "net0": "virtio=BC:24:11:00:02:14,bridge=vmbr0,speed=fast", "cores": "two",
                        "ipconfig0": "ip=192.168.1.300/24", "tags": "homeport;bad tag!",
                    ])
                    Issue.record("accepted invalid parameters")
                } catch ProxmoxError.invalidParameters(_, _, let errors) {
                    #expect(Set(errors.keys) == ["vmid", "scsihw", "colour", "net0", "cores", "ipconfig0", "tags"])
                    #expect(errors["colour"]?.contains("not defined in schema") == true)
                    #expect(errors["vmid"]?.contains("minimum value of 100") == true)
                    #expect(errors["net0"]?.contains("speed") == true)
                }
                do {
                    _ = try await client.get("/nodes/pve/qemu/214/nonsense")
                    Issue.record("accepted an unknown path")
                } catch ProxmoxError.http(_, _, let status, _) {
                    #expect(status == 501)
                }
            }
        }
    }

    @Test("a failed task is reported with its exit status")
    func failedTask() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.inject(.failTask("download failed: 404 Not Found"), path: "/download-url")
            do {
                try await ProxmoxClient.with(simulator.connection()) { client in
                    try await client.runTask(.post, "/nodes/pve/storage/local/download-url",
                                             ["url": "https://example.com/x.iso", "filename": "x.iso", "content": "iso"])
                }
                Issue.record("expected the task to fail")
            } catch ProxmoxError.taskFailed(_, let exit) {
                #expect(exit == "download failed: 404 Not Found")
            }
        }
    }

    @Test("a held config lock is waited out")
    func heldLock() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.addVM(SimulatedVM(vmid: 300, node: "pve", config: ["name": "x", "cores": "1"]))
            simulator.state.holdLock(vmid: 300, lock: "backup", refusals: 3)
            try await ProxmoxClient.with(simulator.connection()) { client in
                try await client.runTask(.post, "/nodes/pve/qemu/300/config", ["cores": "2"])
            }
            #expect(simulator.vmConfig(300)?["cores"] == "2")
            #expect(simulator.state.requests.filter { $0.status == 500 }.count == 3, "three refusals were waited out")
        }
    }
}

extension ProxmoxSimulator {
    func vmConfig(_ vmid: Int) -> [String: String]? { state.vm(vmid)?.config }
}

@Suite("Proxmox client without a server")
struct ProxmoxUnreachableTests {
    @Test("an unreachable host fails after the bounded attempts with a clear message", arguments: [true, false])
    func unreachable(pinned: Bool) async throws {
        guard let schema = try? ProxmoxSimulator.loadSchema() else { print("SKIPPED: no pve-apidoc.json"); return }
        let simulator = try await ProxmoxSimulator(schema: schema)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString).pem")
        try simulator.certificate.pem.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        await simulator.stop()
        let connection = simulator.connection(trust: pinned ? nil : .caFile(file.path))
        do {
            _ = try await ProxmoxClient.with(connection) { try await $0.get("/version") }
            Issue.record("a stopped server answered")
        } catch let error as ProxmoxError {
            guard case .connection(_, _, let attempts, _) = error else { Issue.record("got \(error)"); return }
            #expect(attempts == ProxmoxSimulator.fastTiming.maxAttempts)
            #expect(error.description.contains("cannot reach Proxmox"))
        }
    }
}

@Suite("Certificate pinning across connections")
struct PinningAcrossConnectionsTests {
    @Test("a certificate swapped after the first request is refused on the next connection, before its request")
    func swappedCertificate() async throws {
        try await Fixtures.withSimulator { simulator in
            simulator.state.closeConnections = true
            var timing = ProxmoxSimulator.fastTiming
            timing.requestTimeout = .seconds(4)
            try await ProxmoxClient.with(simulator.connection(timing: timing)) { client in
                _ = try await client.get("/version")
                #expect(simulator.state.requests.count == 1)
                let impostor = try SelfSignedCertificate(commonName: "impostor")
                try simulator.present(impostor)
                do {
                    _ = try await client.get("/nodes")
                    Issue.record("a request went to a server with another certificate")
                } catch let error as ProxmoxError {
                    #expect(error == .fingerprintMismatch(expected: simulator.certificate.fingerprint, actual: impostor.fingerprint))
                }
                #expect(simulator.state.requests.count == 1, "no request reached the impostor")
            }
        }
    }
}
