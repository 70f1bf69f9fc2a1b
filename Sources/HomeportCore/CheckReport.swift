/// Everything a reporter needs: the findings of one `homeport check` run and its totals.
public struct CheckReport: Sendable {
    public var findings: [Finding]
    /// How many files the snapshot held.
    public var fileCount: Int
    public var durationMilliseconds: Int
    /// Rules that ran, for reporters that describe them (SARIF).
    public var rules: [RuleSummary]

    public init(findings: [Finding], fileCount: Int, durationMilliseconds: Int, rules: [RuleSummary] = []) {
        self.findings = Finding.sortedForOutput(findings)
        self.fileCount = fileCount
        self.durationMilliseconds = durationMilliseconds
        self.rules = rules
    }

    public var errorCount: Int { findings.filter { $0.severity == .error }.count }
    public var warningCount: Int { findings.filter { $0.severity == .warning }.count }
    public var hasErrors: Bool { errorCount > 0 }
}

/// A rule's id and one-line summary, as reporters show them.
public struct RuleSummary: Sendable, Hashable {
    public var id: String
    public var summary: String
    public var defaultSeverity: Severity

    public init(id: String, summary: String, defaultSeverity: Severity) {
        self.id = id
        self.summary = summary
        self.defaultSeverity = defaultSeverity
    }
}
