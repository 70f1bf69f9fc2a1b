import HomeportCore
import Manifests
import SOPSFormat

/// `homeport secrets status` and `scan`: the secrets view of a repository, from the snapshot
/// alone (no keys needed).
public enum SecretsInventory {
    /// The ids of the rules about secrets.
    public static let ruleIDs: Set<String> = ["secrets.sops-encrypted", "secrets.sops-config", "secrets.plaintext",
                                              "secrets.alongside", "talos.no-inline-secrets"]

    /// One file holding (or meant to hold) SOPS data.
    public struct Entry: Sendable {
        public var path: String
        public var recipients: [String]
        public var lastModified: String?
        /// Findings of the structural rules about this file.
        public var problems: [Finding]

        public var isEncrypted: Bool { lastModified != nil }
    }

    /// Every encrypted file, and every file a rule or a Secret says should be, with problems.
    public static func status(_ snapshot: RepoSnapshot, configuration: Configuration = Configuration()) -> [Entry] {
        let checker = Checker(configuration: configuration).selecting(only: ["secrets.sops-encrypted", "secrets.sops-config"], skip: [])
        let findings = checker.check(snapshot)
        let context = RuleContext(snapshot: snapshot, configuration: configuration)
        let view = SecretsView(context)
        var entries: [String: Entry] = [:]
        for (file, status) in view.encryptedFiles() {
            entries[file.path] = Entry(path: file.path, recipients: status.metadata?.recipients ?? [],
                                       lastModified: status.metadata?.lastModified, problems: [])
        }
        for finding in findings {
            let path = finding.location.path
            entries[path, default: Entry(path: path, recipients: [], lastModified: nil, problems: [])].problems.append(finding)
        }
        return entries.values.sorted { $0.path < $1.path }
    }

    /// The secrets rules over a snapshot (what `homeport secrets scan` reports).
    public static func scan(_ snapshot: RepoSnapshot, configuration: Configuration = Configuration()) -> [Finding] {
        Checker(configuration: configuration).selecting(only: ruleIDs, skip: []).check(snapshot)
    }
}
