import Foundation
import Flux
import HomeportCore
import Manifests

/// Runs rules over a snapshot: every rule, in parallel, applying the configuration's
/// severities, allowlist and inline `# homeport:allow RULE` comments.
public struct Checker: Sendable {
    public var rules: [any Rule.Type]
    public var configuration: Configuration
    /// Schemas read from disk for `k8s.schema` (in the background, while the Flux tree builds).
    public var schemaLoader = SchemaLoader { SchemaSources() }

    /// Schemas already read.
    public var schemaSources: SchemaSources {
        get { schemaLoader.value }
        set { schemaLoader = SchemaLoader { newValue } }
    }

    public init(rules: [any Rule.Type] = RuleRegistry.all, configuration: Configuration = Configuration()) {
        self.rules = rules
        self.configuration = configuration
    }

    /// Only the rules whose ids are in `only` (when given) and not in `skip`.
    public func selecting(only: Set<String>?, skip: Set<String>) -> Checker {
        var copy = self
        copy.rules = rules.filter { rule in
            let id = rule.description.id
            return (only.map { $0.contains(id) } ?? true) && !skip.contains(id)
        }
        return copy
    }

    /// Every finding for the snapshot, sorted.
    public func check(_ snapshot: RepoSnapshot) -> [Finding] {
        let context = RuleContext(snapshot: snapshot, configuration: configuration, schemaLoader: schemaLoader)
        let results = FindingSlots(count: rules.count)
        let rules = self.rules
        DispatchQueue.concurrentPerform(iterations: rules.count) { index in
            results.set(index, rules[index].init().check(context))
        }
        var findings: [Finding] = []
        for var finding in results.all {
            if let override = configuration.severities[finding.ruleID] {
                guard let severity = override else { continue }
                finding.severity = severity
            }
            if configuration.isAllowed(finding) || Self.isAllowedInline(finding, snapshot) { continue }
            findings.append(finding)
        }
        return Finding.sortedForOutput(findings)
    }

    /// A `homeport:allow RULE` comment on the finding's line or the line above silences it.
    static func isAllowedInline(_ finding: Finding, _ snapshot: RepoSnapshot) -> Bool {
        guard let line = finding.location.line, let file = snapshot.file(finding.location.path),
              let text = file.text, text.contains("homeport:allow") else { return false }
        let lines = file.lines
        for candidate in [line, line - 1] where candidate >= 1 && candidate <= lines.count {
            if let range = lines[candidate - 1].range(of: "homeport:allow") {
                let ids = lines[candidate - 1][range.upperBound...].split(whereSeparator: { $0 == " " || $0 == "," })
                if ids.contains(where: { $0 == finding.ruleID || $0 == "*" }) { return true }
            }
        }
        return false
    }
}

final class FindingSlots: @unchecked Sendable {
    private var storage: [[Finding]]
    private let lock = NSLock()

    init(count: Int) {
        storage = Array(repeating: [], count: count)
    }

    func set(_ index: Int, _ findings: [Finding]) {
        lock.lock()
        storage[index] = findings
        lock.unlock()
    }

    var all: [Finding] {
        lock.lock()
        defer { lock.unlock() }
        return storage.flatMap { $0 }
    }
}
