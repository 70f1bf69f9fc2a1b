import ClusterSpec
import Foundation
import HomeportCore
import Proxmox

extension BootstrapEnvironment {
    /// The environment of a real run: programs from PATH, the age key and Git credentials
    /// from the usual places, the log under `logs/bootstrap/`.
    public static func make(repoRoot: String, definition: ClusterDefinition, environment: [String: String],
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
        let log = BootstrapLog(directory: keepLog ? URL(fileURLWithPath: "\(repoRoot)/logs/bootstrap") : nil, cluster: definition.name, printer: printer)
        let secret = try ProxmoxTokenSecret.read(for: definition, repoRoot: repoRoot, environment: environment)
        if let secret { log.addSecret(secret) }
        if let token = environment["FLUX_GIT_TOKEN"] { log.addSecret(token) }
        return BootstrapEnvironment(repoRoot: repoRoot, definition: definition, runner: runner,
                                    proxmox: try definition.proxmoxConnection(repoRoot: repoRoot, secret: secret),
                                    ageKeyFile: ageKeyFile, gitCredentials: credentials, log: log, prober: TCPProber())
    }
}
