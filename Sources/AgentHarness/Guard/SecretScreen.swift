import Contract
import Foundation
import HomeportCore
import Manifests

/// Looks for plaintext secrets in content an agent wants to write, with exactly the rules
/// `homeport check` uses for that (``AgentPolicy/isSecretRule(_:)``), run on an in-memory
/// snapshot holding the proposed file. A small built-in check for private key blocks and age
/// identities runs as well, so the guard is never without a scanner.
struct SecretScreen: Sendable {
    let root: String
    let configuration: Configuration

    init(root: String) {
        self.root = root
        configuration = (try? CheckRunner.loadConfiguration(root: root)) ?? Configuration()
    }

    /// The registered rules that screen content for secrets.
    static var rules: [any Rule.Type] {
        RuleRegistry.all.filter { AgentPolicy.isSecretRule($0.description.id) }
    }

    /// The first problem with writing `content` to the repo-relative `path`, or nil.
    func check(path: String, content: String) -> GuardDecision? {
        var files = [path: content]
        // The SOPS rules need the creation rules to know which files must be encrypted.
        if path != ".sops.yaml", let sopsConfig = try? String(contentsOfFile: root + "/.sops.yaml", encoding: .utf8) {
            files[".sops.yaml"] = sopsConfig
        }
        let snapshot = RepoScanner.snapshot(root: root, files: files)
        let checker = Checker(rules: Self.rules, configuration: configuration)
        let findings = checker.check(snapshot).filter { $0.location.path == path && $0.severity == .error }
        if let first = findings.first {
            let line = first.location.line.map { " (line \($0))" } ?? ""
            return .deny(first.ruleID, "\(path)\(line): \(first.message)")
        }
        return Self.builtInCheck(path: path, content: content)
    }

    /// Private key blocks and age identities: the secrets no rule may ever miss.
    static func builtInCheck(path: String, content: String) -> GuardDecision? {
        var lineNumber = 0
        for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if let range = line.range(of: "-----BEGIN "), line[range.upperBound...].contains("PRIVATE KEY-----") {
                return .deny(GuardRule.plaintextSecret,
                             "\(path) (line \(lineNumber)): a private key block; keep keys outside git and commit only SOPS-encrypted secrets")
            }
            if let range = line.range(of: "AGE-SECRET-KEY-1", options: .caseInsensitive) {
                let token = line[range.lowerBound...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" }
                return .deny(GuardRule.plaintextSecret,
                             "\(path) (line \(lineNumber)): an age identity (\(Redaction.redact(String(token)))); age private keys stay on the workstation, never in git")
            }
        }
        return nil
    }
}
