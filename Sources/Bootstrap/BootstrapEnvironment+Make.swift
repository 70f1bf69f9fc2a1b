import Foundation
import HomeportCore
import Proxmox

extension ClusterFacts {
    /// The Proxmox connection for these facts, or nil when the token secret is not set.
    /// The secret comes from `PROXMOX_TOKEN_SECRET`; `proxmox.tokenSecretFile` needs it decrypted into that variable.
    public func proxmoxConnection(repoRoot: String, environment: [String: String],
                                  timing: ProxmoxTiming = .standard) throws -> ProxmoxConnection? {
        guard let secret = environment["PROXMOX_TOKEN_SECRET"]?.trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty else {
            return nil
        }
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
                            printer: @escaping @Sendable (String) -> Void, keepLog: Bool = true) throws -> BootstrapEnvironment {
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
        if let secret = environment["PROXMOX_TOKEN_SECRET"] { log.addSecret(secret) }
        if let token = environment["FLUX_GIT_TOKEN"] { log.addSecret(token) }
        return BootstrapEnvironment(repoRoot: repoRoot, facts: facts, runner: runner, talos: TalosctlConfigSource(runner: runner),
                                    proxmox: try facts.proxmoxConnection(repoRoot: repoRoot, environment: environment),
                                    ageKeyFile: ageKeyFile, gitCredentials: credentials, log: log)
    }
}
