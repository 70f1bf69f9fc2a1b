/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=rule::message`.
public struct GitHubActionsReporter: Reporter {
    public static let identifier = "github"

    public init() {}

    public func report(_ report: CheckReport) -> String {
        report.findings.map { finding in
            var properties = ["file=\(escapeProperty(finding.location.path))"]
            if let line = finding.location.line { properties.append("line=\(line)") }
            if let column = finding.location.column { properties.append("col=\(column)") }
            properties.append("title=\(escapeProperty(finding.ruleID))")
            let command = finding.severity == .error ? "error" : finding.severity == .warning ? "warning" : "notice"
            return "::\(command) \(properties.joined(separator: ","))::\(escapeData(finding.message)) [\(finding.ruleID)]\n"
        }.joined()
    }

    // Escaping as the Actions runner's command parser expects.
    private func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private func escapeProperty(_ text: String) -> String {
        escapeData(text)
            .replacingOccurrences(of: ":", with: "%3A")
            .replacingOccurrences(of: ",", with: "%2C")
    }
}
