import Foundation
import HomeportCore
import Proxmox

extension ClusterFacts {
    /// The Proxmox token secret: `PROXMOX_TOKEN_SECRET`, else the `tokenSecret` key of the
    /// SOPS-encrypted `proxmox.tokenSecretFile` (decrypted with `sops`, kept in memory only).
    /// nil when neither is set.
    public func proxmoxTokenSecret(repoRoot: String, environment: [String: String], runner: CommandRunner) async throws -> String? {
        if let secret = environment["PROXMOX_TOKEN_SECRET"]?.trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty {
            return secret
        }
        guard let file = proxmox.tokenSecretFile else { return nil }
        let path = file.hasPrefix("/") ? file : "\(repoRoot)/\(file)"
        guard FileManager.default.fileExists(atPath: path) else {
            throw HomeportError.usage("proxmox.tokenSecretFile \(file) does not exist (or set PROXMOX_TOKEN_SECRET)")
        }
        let result = try await runner.run("sops", ["--decrypt", "--extract", #"["tokenSecret"]"#, path])
        guard result.succeeded else {
            throw HomeportError("cannot decrypt \(file) with sops: \(result.error.trimmingCharacters(in: .whitespacesAndNewlines)) (it must hold the key tokenSecret)")
        }
        let secret = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return secret.isEmpty ? nil : secret
    }

    /// The Proxmox connection for these facts with `secret`, or nil without a secret.
    public func proxmoxConnection(repoRoot: String, secret: String?, timing: ProxmoxTiming = .standard) throws -> ProxmoxConnection? {
        guard let secret else { return nil }
        guard let url = URL(string: proxmox.endpoint) else {
            throw HomeportError.usage("proxmox.endpoint is not a URL: \(proxmox.endpoint)")
        }
        let trust: ProxmoxTrust
        if let fingerprint = proxmox.fingerprint {
            trust = .fingerprint(fingerprint)
        } else if let caFile = proxmox.caFile {
            trust = .caFile(caFile.hasPrefix("/") ? caFile : "\(repoRoot)/\(caFile)")
        } else {
            trust = .systemStore
        }
        let connection = ProxmoxConnection(endpoint: url, tokenID: proxmox.tokenID, tokenSecret: secret, trust: trust, timing: timing)
        do { try connection.validate() } catch { throw HomeportError.usage("\(error)") }
        return connection
    }
}

extension BootstrapEnvironment {
    /// The environment of a real run: programs from PATH, the age key and Git credentials
    /// from the usual places, the log under `logs/bootstrap/`.
    public static func make(repoRoot: String, facts: ClusterFacts, environment: [String: String],
                            printer: @escaping @Sendable (String) -> Void, keepLog: Bool = true) async throws -> BootstrapEnvironment {
        let runner = ProcessRunner(environment: environment)
        let home = environment["HOME"] ?? NSHomeDirectory()
        let ageKeyFile = environment["SOPS_AGE_KEY_FILE"] ?? "\(home)/.config/sops/age/keys.txt"
        var credentials: GitCredentials?
        if let token = environment["FLUX_GIT_TOKEN"], !token.isEmpty {
            credentials = .token(username: environment["FLUX_GIT_USERNAME"] ?? "git", token: token)
        } else if let key = environment["HOMEPORT_DEPLOY_KEY"], !key.isEmpty {
            credentials = .deployKey(privateKeyPath: key, knownHostsPath: environment["HOMEPORT_KNOWN_HOSTS"] ?? "\(home)/.ssh/known_hosts")
        }
        let log = BootstrapLog(directory: keepLog ? URL(fileURLWithPath: "\(repoRoot)/logs/bootstrap") : nil, cluster: facts.name, printer: printer)
        let secret = try await facts.proxmoxTokenSecret(repoRoot: repoRoot, environment: environment, runner: runner)
        if let secret { log.addSecret(secret) }
        if let token = environment["FLUX_GIT_TOKEN"] { log.addSecret(token) }
        return BootstrapEnvironment(repoRoot: repoRoot, facts: facts, runner: runner, talos: TalosctlConfigSource(runner: runner),
                                    proxmox: try facts.proxmoxConnection(repoRoot: repoRoot, secret: secret),
                                    ageKeyFile: ageKeyFile, gitCredentials: credentials, log: log)
    }
}
