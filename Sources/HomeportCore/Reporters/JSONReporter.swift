import Foundation

/// The JSON shape DESIGN.md fixes:
/// `{"version":1,"findings":[{"rule","severity","path","line","column","message"}],"summary":{…}}`.
public struct JSONReporter: Reporter {
    public static let identifier = "json"

    public init() {}

    struct Document: Encodable {
        struct Entry: Encodable {
            var rule: String
            var severity: String
            var path: String
            var line: Int?
            var column: Int?
            var message: String

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(rule, forKey: .rule)
                try container.encode(severity, forKey: .severity)
                try container.encode(path, forKey: .path)
                try container.encode(line, forKey: .line)
                try container.encode(column, forKey: .column)
                try container.encode(message, forKey: .message)
            }

            enum CodingKeys: String, CodingKey { case rule, severity, path, line, column, message }
        }

        struct Summary: Encodable {
            var errors: Int
            var warnings: Int
            var files: Int
            var durationMs: Int
        }

        var version = 1
        var findings: [Entry]
        var summary: Summary
    }

    public func report(_ report: CheckReport) -> String {
        let document = Document(
            findings: report.findings.map {
                .init(rule: $0.ruleID, severity: $0.severity.rawValue, path: $0.location.path,
                      line: $0.location.line, column: $0.location.column, message: $0.message)
            },
            summary: .init(errors: report.errorCount, warnings: report.warningCount,
                           files: report.fileCount, durationMs: report.durationMilliseconds)
        )
        return JSONText.encode(document) + "\n"
    }
}

/// Shared JSON encoding with stable key order.
public enum JSONText {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            return "{}"
        }
        return text
    }
}
