/// The guard's answer to one proposed action.
public struct GuardDecision: Error, Sendable, Equatable {
    public enum Verdict: String, Sendable {
        case allow
        case deny
    }

    public var verdict: Verdict
    /// The rule that decided a deny (a guard rule id or a checker rule id such as
    /// `secrets.plaintext`); nil on allow.
    public var ruleID: String?
    /// Why, in words an agent can act on. Never holds a secret value.
    public var reason: String

    public static func allow(_ reason: String) -> GuardDecision {
        GuardDecision(verdict: .allow, ruleID: nil, reason: reason)
    }

    public static func deny(_ rule: String, _ reason: String) -> GuardDecision {
        GuardDecision(verdict: .deny, ruleID: rule, reason: reason)
    }

    public var isAllowed: Bool { verdict == .allow }

    /// `rule: reason`, as the agent sees it.
    public var message: String {
        ruleID.map { "\($0): \(reason)" } ?? reason
    }
}

/// The ids of the guard's own rules. Denies that come from the checker carry the checker's
/// rule id instead (e.g. `secrets.plaintext`, `layout.top-level`).
public enum GuardRule {
    public static let malformedInput = "ai.malformed-input"
    public static let internalError = "ai.internal-error"
    public static let unsupportedClient = "ai.unsupported-client"
    public static let unsupportedTool = "ai.unsupported-tool"
    public static let outsideRepository = "ai.outside-repo"
    public static let writableLayers = "ai.writable-layers"
    public static let docsReadOnly = "ai.docs-read-only"
    public static let topLevel = "layout.top-level"
    public static let secretMaterial = "ai.secret-material"
    public static let plaintextSecret = "ai.plaintext-secret"
    public static let forbiddenCommand = "ai.forbidden-command"
    public static let uninspectableCommand = "ai.uninspectable-command"
    public static let commandNotAllowed = "ai.command-not-allowed"
    public static let auditLog = "ai.audit-log"
}
