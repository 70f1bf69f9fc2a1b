import HomeportCore
import Manifests

/// Which rules apply to any Flux repository and which enforce this project's repo contract.
/// The contract's rules (layout, docs, ai, …) run only where the repository has
/// `docs/repo-contract.md`: on someone else's repository they would only report that it is
/// not laid out like this one.
public enum RuleScope {
    /// Rules about Kubernetes, Flux and secrets, meaningful in every repository.
    public static let generalRuleIDs: Set<String> = [
        "k8s.parse", "k8s.schema",
        "flux.references", "flux.substitution", "flux.decryption", "flux.pinned", "flux.duplicates",
        "secrets.plaintext", "secrets.sops-encrypted", "secrets.sops-config", "talos.no-inline-secrets",
        "repo.unread",
    ]

    /// True for a rule that enforces the repo contract rather than Kubernetes, Flux or secrets.
    public static func isContractRule(_ id: String) -> Bool {
        !generalRuleIDs.contains(id)
    }

    /// True when the repository has a contract document.
    public static func hasContract(_ snapshot: RepoSnapshot) -> Bool {
        snapshot.file(ContractDocument.path) != nil
    }

    /// The families (id prefixes) of some rules, sorted: `flux, k8s, secrets`.
    static func families(_ ids: [String]) -> [String] {
        Set(ids.map { String($0.prefix { $0 != "." }) }).sorted()
    }

    /// The one notice saying which rule families ran on a repository without a contract.
    static func notice(ran: [String], skipped: [String]) -> Finding {
        let ranFamilies = families(ran)
        // Families left out whole are named by family; contract rules of a family that ran, by id.
        let wholeFamilies = families(skipped).filter { !ranFamilies.contains($0) }
        let singleRules = skipped.filter { id in ranFamilies.contains { id.hasPrefix($0 + ".") } }.sorted()
        let left = (wholeFamilies.map { "\($0).*" } + singleRules).joined(separator: ", ")
        let message = "no \(ContractDocument.path) in this repository: ran the \(ranFamilies.joined(separator: ", ")) rules; "
            + "the repo-contract rules (\(left)) run only where the repository has a contract "
            + "(select one with --only to run it anyway)"
        return Finding(ruleID: "docs.present", severity: .notice, location: SourceLocation(path: ContractDocument.path), message: message)
    }
}
