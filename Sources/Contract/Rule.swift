import HomeportCore

/// A check of one rule of the repo contract. Rules are pure: they read the
/// ``RuleContext`` (the parsed repository) and return findings; they never throw and never
/// touch the disk.
public protocol Rule: Sendable {
    /// Identity, documentation and test examples of the rule.
    static var description: RuleDescription { get }
    init()
    /// Every violation of the rule in the repository.
    func check(_ context: RuleContext) -> [Finding]
}

extension Rule {
    /// A finding of this rule at its default severity (the checker applies overrides).
    public func finding(_ message: String, at path: String, mark: Mark? = nil) -> Finding {
        Finding(ruleID: Self.description.id, severity: Self.description.defaultSeverity,
                location: SourceLocation(path: path, line: mark?.line, column: mark?.column), message: message)
    }

    /// A finding at a line (and optional column) of a file.
    public func finding(_ message: String, at path: String, line: Int, column: Int? = nil) -> Finding {
        Finding(ruleID: Self.description.id, severity: Self.description.defaultSeverity,
                location: SourceLocation(path: path, line: line, column: column), message: message)
    }
}

import Manifests
