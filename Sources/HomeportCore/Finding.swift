/// One problem a rule found in the repository. Findings are values: rules return them, the
/// checker sorts them, reporters print them. A finding never carries a secret value, only a
/// redacted prefix (see ``Redaction``).
public struct Finding: Sendable, Hashable, Codable {
    /// The stable rule id, e.g. `layout.top-level`.
    public var ruleID: String
    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(ruleID: String, severity: Severity, location: SourceLocation, message: String) {
        self.ruleID = ruleID
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// Orders findings by path, line, column, then rule id, so output is stable.
    public static func sortedForOutput(_ findings: [Finding]) -> [Finding] {
        findings.sorted { lhs, rhs in
            if lhs.location != rhs.location { return lhs.location < rhs.location }
            if lhs.ruleID != rhs.ruleID { return lhs.ruleID < rhs.ruleID }
            return lhs.message < rhs.message
        }
    }
}
