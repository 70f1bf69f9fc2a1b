import Foundation
import TestSupport
import Testing

/// `homeport init` on a copy of this repository, as someone who forked the template runs it.
@Suite struct InitCommandTests {
    static let templateRecipient = "age17gv4u8k54l7vlsyplruk8z60ajphsaxexxcduxrwh6667hdtj3tst2lzhv"

    /// A copy of the template's parts init works on, plus two secrets init must also handle:
    /// a Secret with `data:` (base64 values) and a whole-file encrypted dotenv file.
    static func templateCopy() throws -> TemporaryRepo {
        let repo = try TemporaryRepo()
        for folder in ["config", "cluster", "docs", "synology"] {
            try repo.copy(from: SharedData.packageRoot + "/" + folder, to: folder)
        }
        for file in [".sops.yaml", "homeport.yaml"] {
            try FileManager.default.copyItem(atPath: SharedData.packageRoot + "/" + file, toPath: repo.root + "/" + file)
        }
        try repo.write("cluster/kubernetes/apps/demo-game/extra.sops.yaml", """
        apiVersion: v1
        kind: Secret
        metadata:
          name: extra
          namespace: demo-game
        data:
          token: dGVtcGxhdGUtdG9rZW4tdmFsdWU=
        """)
        try repo.write("infrastructure/proxmox/token.sops.env", "PROXMOX_TOKEN_SECRET=template-token-value\n")
        for path in ["cluster/kubernetes/apps/demo-game/extra.sops.yaml", "infrastructure/proxmox/token.sops.env"] {
            // Encrypted to the template's recipient by its .sops.yaml: no private key is needed.
            let encrypted = try HomeportBinary.run(["secrets", "encrypt", "-i", path], directory: repo.root)
            #expect(encrypted.status == 0, "\(encrypted.standardError)")
        }
        return repo
    }

    static func environment(_ home: String) -> [String: String] {
        ["HOME": home, "SOPS_AGE_KEY_FILE": home + "/age/keys.txt", "SOPS_AGE_KEY": "", "XDG_CONFIG_HOME": ""]
    }

    static func errorFindings(_ repo: TemporaryRepo, _ environment: [String: String]) throws -> Set<String> {
        let check = try HomeportBinary.run(["check", "--repo", repo.root], environment: environment)
        return Set(check.standardOutput.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") })
    }

    @Test func initTurnsTheTemplateIntoTheUsersHomelab() throws {
        let repo = try Self.templateCopy()
        let home = try TemporaryRepo()
        let environment = Self.environment(home.root)
        let secrets = try FileManager.default.subpathsOfDirectory(atPath: repo.root).filter { $0.contains(".sops.") && !($0 as NSString).lastPathComponent.hasPrefix(".") }.sorted()
        #expect(secrets.count >= 8, "\(secrets)")
        let before = Dictionary(uniqueKeysWithValues: secrets.map { ($0, repo.read($0) ?? "") })
        let findingsBefore = try Self.errorFindings(repo, environment)

        let result = try HomeportBinary.run([
            "init", "--repo", repo.root, "--yes", "--cluster", "lab", "--domain", "lab.example",
            "--node-cidr", "10.20.0.0/24", "--gateway", "10.20.0.254", "--vip", "10.20.0.50",
            "--control-plane", "10.20.0.11", "--worker", "10.20.0.21",
            "--proxmox-endpoint", "https://10.20.0.2:8006", "--git-url", "ssh://git@github.com/someone/homelab.git", "--branch", "live",
        ], environment: environment)
        #expect(result.status == 0, "\(result.standardError)")

        // The definition: new values, template addresses moved into the new network, valid.
        let definition = try #require(repo.read("config/clusters/lab.yaml"))
        for expected in ["name: lab", "domain: lab.example", "nodeCIDR: 10.20.0.0/24", "gateway: 10.20.0.254",
                         "controlPlaneVIP: 10.20.0.50", "address: 10.20.0.11", "address: 10.20.0.21",
                         "endpoint: https://10.20.0.2:8006", "repository: ssh://git@github.com/someone/homelab.git",
                         "branch: live", "loadBalancerPool: 10.20.0.220-10.20.0.229", "server: 10.20.0.112"] {
            #expect(definition.contains(expected), "missing \(expected)")
        }
        #expect(!definition.contains("192.168.1."))
        #expect(repo.read("config/clusters/prox-n100.yaml") == nil)
        let validate = try HomeportBinary.run(["cluster", "validate", "--repo", repo.root, "--cluster", "lab"], environment: environment)
        #expect(validate.status == 0, "\(validate.standardOutput)\(validate.standardError)")
        #expect(repo.read("config/env/lab.env")?.contains("10.20.0.50") == true)
        #expect(repo.read("cluster/kubernetes/flux/cluster-settings.yaml")?.contains("lab.example") == true)

        // The key and .sops.yaml.
        let keyFile = try #require(home.read("age/keys.txt"))
        let recipient = try #require(keyFile.split(separator: "\n").first { $0.hasPrefix("# public key: ") }?.dropFirst(14)).description
        let sops = try #require(repo.read(".sops.yaml"))
        #expect(sops.contains(recipient))
        #expect(!sops.contains(Self.templateRecipient))
        #expect(sops.components(separatedBy: recipient).count - 1 == 3)

        // Every secret: new recipient, old ciphertext gone, decrypts with the new key.
        var plaintexts: [String] = []
        for path in secrets {
            let text = try #require(repo.read(path))
            #expect(text.contains(recipient), "\(path) is not encrypted to the new key")
            #expect(!text.contains(Self.templateRecipient), "\(path) still names the template's recipient")
            let oldValues = (before[path] ?? "").split(separator: "ENC[").dropFirst().map { String($0.prefix(40)) }
            #expect(!oldValues.isEmpty)
            for old in oldValues { #expect(!text.contains(old), "\(path) kept a template value") }
            #expect(result.standardOutput.contains("regenerated \(path)"))
            let decrypted = try HomeportBinary.run(["secrets", "decrypt", repo.root + "/" + path], environment: environment)
            #expect(decrypted.status == 0, "\(path): \(decrypted.standardError)")
            plaintexts.append(decrypted.standardOutput)
        }
        #expect(result.standardOutput.contains("homeport secrets edit FILE"))
        #expect(!plaintexts.joined().contains("template-token-value"))

        // Fresh values: 32 random bytes in base64url, base64 of that under a Secret's data:.
        let extra = plaintexts[try #require(secrets.firstIndex(of: "cluster/kubernetes/apps/demo-game/extra.sops.yaml"))]
        let token = try #require(extra.split(separator: "\n").first { $0.contains("token:") }?.split(separator: " ").last)
        let decoded = try #require(Data(base64Encoded: String(token)).flatMap { String(data: $0, encoding: .utf8) })
        #expect(decoded.count == 43 && decoded.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let dotenv = plaintexts[try #require(secrets.firstIndex(of: "infrastructure/proxmox/token.sops.env"))]
        #expect(dotenv.hasPrefix("PROXMOX_TOKEN_SECRET=") && dotenv.trimmingCharacters(in: .whitespacesAndNewlines).count == 21 + 43)

        // No value appears in what init printed.
        // Random values are long base64(url) words; paths and prose have dots or are shorter.
        let base64Alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=")
        let values = plaintexts.flatMap { $0.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "=" }) }
            .filter { $0.count >= 40 && $0.allSatisfy(base64Alphabet.contains) }
        #expect(!values.isEmpty)
        for value in values {
            #expect(!result.standardOutput.contains(value) && !result.standardError.contains(value), "init printed a secret value")
        }

        // The repository stays contract-clean: no error finding that was not there before.
        let findingsAfter = try Self.errorFindings(repo, environment)
        #expect(findingsAfter.subtracting(findingsBefore).isEmpty, "\(findingsAfter.subtracting(findingsBefore))")

        // A second run refuses without --force and changes nothing.
        let snapshot = secrets.map { repo.read($0) }
        let again = try HomeportBinary.run(["init", "--repo", repo.root, "--yes", "--cluster", "lab", "--domain", "other.example"],
                                           environment: environment)
        #expect(again.status != 0)
        #expect(again.standardError.contains("--force"))
        #expect(repo.read("config/clusters/lab.yaml") == definition)
        #expect(secrets.map { repo.read($0) } == snapshot)
    }

    /// Every file under these folders after init; cluster/talos/ is derived by the Talos module
    /// (its network values are that module's), so it is not scanned here.
    static func derivedScope(_ repo: TemporaryRepo) throws -> [String] {
        try ["cluster", "config", "synology"].flatMap { folder in
            try FileManager.default.subpathsOfDirectory(atPath: repo.root + "/" + folder).map { "\(folder)/\($0)" }
        }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: repo.root + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    @Test func initLeavesNoTemplateNetworkOrURLBehind() throws {
        let repo = try Self.templateCopy()
        let home = try TemporaryRepo()
        let environment = Self.environment(home.root)
        let scope = try Self.derivedScope(repo)
        // The scan can fail: before init the template's values are there.
        #expect(scope.contains { repo.read($0)?.contains("192.168.1.") == true })
        #expect(scope.contains { repo.read($0)?.contains("OWNER/homelab") == true })

        let result = try HomeportBinary.run([
            "init", "--repo", repo.root, "--node-cidr", "10.20.0.0/24", "--gateway", "10.20.0.1", "--vip", "10.20.0.210",
            "--git-url", "ssh://git@github.com/you/homelab.git", "--yes",
        ], environment: environment)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("wrote cluster/kubernetes/flux/flux-instance.yaml"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("wrote synology/exports.md"))

        let after = try Self.derivedScope(repo)
        #expect(after.count >= 50, "\(after.count) files scanned")
        for path in after {
            let text = try #require(repo.read(path), "\(path) is not text")
            #expect(!text.contains("192.168.1."), "\(path) still carries the template's network")
            #expect(!text.contains("OWNER/homelab"), "\(path) still carries the template's Git URL")
        }
        let flux = try #require(repo.read("cluster/kubernetes/flux/flux-instance.yaml"))
        #expect(flux.contains("    url: ssh://git@github.com/you/homelab.git\n"))
        let exports = try #require(repo.read("synology/exports.md"))
        #expect(exports.contains("| NFS clients (`network.nodeCIDR`) | `10.20.0.0/24` |"))
        #expect(exports.contains("| NAS address (`nfs.server`) | `10.20.0.112` |"))

        let sync = try HomeportBinary.run(["cluster", "sync", "--check", "--repo", repo.root], environment: environment)
        #expect(sync.status == 0, "\(sync.standardError)")

        // The Talos configs rendered from the new definition carry the new subnet, and no old one.
        let secrets = try HomeportBinary.run(["talos", "secrets", "--repo", repo.root], environment: environment)
        #expect(secrets.status == 0, "\(secrets.standardError)")
        let gen = try HomeportBinary.run(["talos", "gen", "--repo", repo.root], environment: environment)
        #expect(gen.status == 0, "\(gen.standardError)")
        let rendered = try FileManager.default.contentsOfDirectory(atPath: repo.root + "/.talos/prox-n100").filter { $0.hasPrefix("talos-") }
        #expect(!rendered.isEmpty)
        for name in rendered {
            let config = try #require(repo.read(".talos/prox-n100/" + name))
            #expect(config.contains("10.20.0.0/24"), "\(name) does not carry the node subnet")
            #expect(!config.contains("192.168.1."), "\(name) still carries the template's network")
        }
    }

    @Test func existingKeyIsReusedAndInvalidValuesAreRefused() throws {
        let repo = try Self.templateCopy()
        let home = try TemporaryRepo()
        let environment = Self.environment(home.root)
        let keygen = try HomeportBinary.run(["secrets", "keygen", "-o", home.root + "/age/keys.txt"])
        #expect(keygen.status == 0)
        let key = home.read("age/keys.txt")

        let badName = try HomeportBinary.run(["init", "--repo", repo.root, "--yes", "--cluster", "../escape"], environment: environment)
        #expect(badName.status == 2)
        #expect(badName.standardError.contains("not a valid name"))
        #expect(home.read("age/keys.txt") == key)

        let invalid = try HomeportBinary.run(["init", "--repo", repo.root, "--yes", "--cluster", "lab", "--vip", "172.16.0.1"],
                                             environment: environment)
        #expect(invalid.status != 0)
        #expect(invalid.standardError.contains("config/clusters/lab.yaml:"), "\(invalid.standardError)")
        #expect(repo.read("config/clusters/lab.yaml") == nil)
        #expect(repo.read(".sops.yaml")?.contains(Self.templateRecipient) == true)

        let result = try HomeportBinary.run(["init", "--repo", repo.root, "--yes"], environment: environment)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(home.read("age/keys.txt") == key)
        let recipient = try #require(keygen.standardOutput.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(repo.read(".sops.yaml")?.contains(recipient) == true)
        // Without --cluster the template's name and values stay.
        #expect(repo.read("config/clusters/prox-n100.yaml") == (try String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)))

        // --force runs again but keeps the secrets the user can already decrypt.
        let before = repo.read("cluster/kubernetes/apps/nextcloud/secret.sops.yaml")
        let forced = try HomeportBinary.run(["init", "--repo", repo.root, "--yes", "--force"], environment: environment)
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(repo.read("cluster/kubernetes/apps/nextcloud/secret.sops.yaml") == before)
        #expect(!forced.standardOutput.contains("regenerated"))
    }
}
