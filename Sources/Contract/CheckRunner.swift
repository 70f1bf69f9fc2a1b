import Foundation
import HomeportCore
import Manifests

/// What `homeport check` was asked to do.
public struct CheckOptions: Sendable {
    public var repoRoot: String
    public var only: Set<String>?
    public var skip: Set<String> = []
    /// Report only findings in files changed since this git reference.
    public var changedFrom: String?

    public init(repoRoot: String, only: Set<String>? = nil, skip: Set<String> = [], changedFrom: String? = nil) {
        self.repoRoot = repoRoot
        self.only = only
        self.skip = skip
        self.changedFrom = changedFrom
    }
}

/// The whole of `homeport check`, independent of the command line: configuration, snapshot,
/// rules, filtering.
public enum CheckRunner {
    public static func run(_ options: CheckOptions) throws -> CheckReport {
        let clock = ContinuousClock()
        let start = clock.now
        let configuration = try loadConfiguration(root: options.repoRoot)
        let unknown = (options.only ?? []).union(options.skip).filter { RuleRegistry.rule(id: $0) == nil }
        if !unknown.isEmpty {
            throw HomeportError.usage("unknown rule id(s): \(unknown.sorted().joined(separator: ", ")); `homeport rules` lists them")
        }
        var scanner = RepoScanner()
        scanner.isSkipped = { configuration.isSkipped($0) }
        let snapshot = try scanner.scan(root: options.repoRoot)
        let checker = Checker(configuration: configuration).selecting(only: options.only, skip: options.skip)
        var findings = checker.check(snapshot)
        if let reference = options.changedFrom {
            guard let changed = GitFileList.changedFiles(since: reference, root: options.repoRoot) else {
                throw HomeportError.usage("cannot list files changed since '\(reference)' (is it a git reference in \(options.repoRoot)?)")
            }
            findings = findings.filter { finding in
                changed.contains(finding.location.path) || changed.contains { $0.hasPrefix(finding.location.path + "/") }
            }
        }
        let elapsed = clock.now - start
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return CheckReport(findings: findings, fileCount: snapshot.files.count, durationMilliseconds: milliseconds,
                           rules: checker.rules.map { $0.description.ruleSummary })
    }

    /// `homeport.yaml` at the root, or the defaults.
    public static func loadConfiguration(root: String) throws -> Configuration {
        let path = root + "/" + Configuration.fileName
        guard FileManager.default.fileExists(atPath: path) else { return Configuration() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw HomeportError.usage("cannot read \(Configuration.fileName) as UTF-8 text")
        }
        return try Configuration.load(text: text)
    }
}
