/// `path:line:col: error: message [rule.id]`, one line per finding, then a summary line.
public struct TextReporter: Reporter {
    public static let identifier = "text"
    public var colored: Bool

    public init(colored: Bool = false) {
        self.colored = colored
    }

    public func report(_ report: CheckReport) -> String {
        var lines = report.findings.map(line(for:))
        let notices = report.findings.count - report.errorCount - report.warningCount
        let noticeText = notices > 0 ? ", \(notices) notice(s)" : ""
        if report.findings.isEmpty {
            lines.append("✓ no findings in \(report.fileCount) files")
        } else if report.errorCount == 0 && report.warningCount == 0 {
            lines.append("✓ no errors or warnings in \(report.fileCount) files\(noticeText)")
        } else {
            lines.append("\(report.errorCount) error(s), \(report.warningCount) warning(s)\(noticeText) in \(report.fileCount) files")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func line(for finding: Finding) -> String {
        let severity = paint(finding.severity.rawValue, code: colorCode(finding.severity))
        return "\(finding.location.description): \(severity): \(finding.message) [\(finding.ruleID)]"
    }

    private func colorCode(_ severity: Severity) -> String {
        switch severity {
        case .error: "31"
        case .warning: "33"
        case .notice: "36"
        }
    }

    private func paint(_ text: String, code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
