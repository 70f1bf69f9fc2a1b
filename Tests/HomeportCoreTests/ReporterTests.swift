import Foundation
import HomeportCore
import Testing

struct ReporterTests {
    static let report = CheckReport(
        findings: [
            Finding(ruleID: "k8s.parse", severity: .error, location: SourceLocation(path: "b.yaml", line: 3, column: 5), message: "YAML does not parse"),
            Finding(ruleID: "layout.top-level", severity: .warning, location: SourceLocation(path: "extra"), message: "not in the contract, amend it"),
        ],
        fileCount: 12, durationMilliseconds: 7,
        rules: [RuleSummary(id: "k8s.parse", summary: "YAML parses", defaultSeverity: .error)]
    )

    @Test func textReporterPrintsOneLinePerFindingSorted() {
        let text = TextReporter().report(Self.report)
        #expect(text == """
        b.yaml:3:5: error: YAML does not parse [k8s.parse]
        extra: warning: not in the contract, amend it [layout.top-level]
        1 error(s), 1 warning(s) in 12 files

        """)
    }

    @Test func textReporterColoursOnlyWhenAsked() {
        #expect(TextReporter(colored: true).report(Self.report).contains("\u{1B}[31merror"))
        #expect(!TextReporter().report(Self.report).contains("\u{1B}"))
    }

    @Test func jsonReporterHasTheDocumentedShape() throws {
        let text = JSONReporter().report(Self.report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 2)
        #expect(Set(findings[0].keys) == ["rule", "severity", "path", "line", "column", "message"])
        #expect(findings[0]["line"] as? Int == 3)
        #expect(findings[1]["line"] is NSNull)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 1)
        #expect(summary["warnings"] as? Int == 1)
        #expect(summary["files"] as? Int == 12)
        #expect(summary["durationMs"] as? Int == 7)
    }

    @Test func sarifReporterIsSARIF210() throws {
        let text = SARIFReporter().report(Self.report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["k8s.parse", "layout.top-level"])
        #expect(results.map { $0["level"] as? String } == ["error", "warning"])
        let location = try #require(((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 3)
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "b.yaml")
    }

    @Test func githubReporterEscapesAndAnnotates() {
        let report = CheckReport(findings: [
            Finding(ruleID: "x.y", severity: .error, location: SourceLocation(path: "a,b.yaml", line: 2, column: 1), message: "50% bad\nreally"),
        ], fileCount: 1, durationMilliseconds: 0)
        #expect(GitHubActionsReporter().report(report) == "::error file=a%2Cb.yaml,line=2,col=1,title=x.y::50%25 bad%0Areally [x.y]\n")
    }

    @Test func redactionKeepsOnlyAPrefix() {
        let redacted = Redaction.redact("AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQ")
        #expect(redacted.hasPrefix("AGE-…"))
        #expect(!redacted.contains("QQQQ"))
    }
}
