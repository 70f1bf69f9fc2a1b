/// SARIF 2.1.0, the format code-scanning services read. One run, one result per finding.
public struct SARIFReporter: Reporter {
    public static let identifier = "sarif"

    public init() {}

    struct Log: Encodable {
        var version = "2.1.0"
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case version, runs
            case schema = "$schema"
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
    }

    struct Tool: Encodable {
        var driver: Driver
    }

    struct Driver: Encodable {
        var name = "homeport"
        var informationUri = "https://github.com/homeport/homeport"
        var rules: [Rule]
    }

    struct Rule: Encodable {
        var id: String
        var shortDescription: Message
        var defaultConfiguration: Configuration
    }

    struct Configuration: Encodable {
        var level: String
    }

    struct Message: Encodable {
        var text: String
    }

    struct Result: Encodable {
        var ruleId: String
        var level: String
        var message: Message
        var locations: [Location]
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct ArtifactLocation: Encodable {
        var uri: String
    }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int?
    }

    public func report(_ report: CheckReport) -> String {
        let rules = report.rules.map {
            Rule(id: $0.id, shortDescription: .init(text: $0.summary),
                 defaultConfiguration: .init(level: Self.level($0.defaultSeverity)))
        }
        let results = report.findings.map { finding in
            Result(
                ruleId: finding.ruleID,
                level: Self.level(finding.severity),
                message: .init(text: finding.message),
                locations: [Location(physicalLocation: PhysicalLocation(
                    artifactLocation: .init(uri: finding.location.path),
                    region: finding.location.line.map { Region(startLine: $0, startColumn: finding.location.column) }
                ))]
            )
        }
        let log = Log(runs: [Run(tool: Tool(driver: Driver(rules: rules)), results: results)])
        return JSONText.encode(log, pretty: true) + "\n"
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .notice: "note"
        }
    }
}
