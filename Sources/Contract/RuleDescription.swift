import HomeportCore
import Manifests

/// What a rule is, why it exists and how it behaves: the same value documents the rule
/// (`homeport rules`), configures it, and tests it (its examples run as tests).
public struct RuleDescription: Sendable {
    /// Stable id, `area.name`, e.g. `layout.top-level`.
    public var id: String
    /// One sentence: what the rule checks.
    public var summary: String
    /// Why, pointing at the contract section.
    public var rationale: String
    /// The contract sections the rule enforces, e.g. `["2", "7"]`.
    public var contractSections: [String]
    public var defaultSeverity: Severity
    /// Tiny repositories the rule must accept.
    public var nonTriggeringExamples: [RuleExample]
    /// Tiny repositories the rule must reject, with `↓` marking where each finding points.
    public var triggeringExamples: [RuleExample]

    public init(
        id: String, summary: String, rationale: String, contractSections: [String],
        defaultSeverity: Severity = .error,
        nonTriggeringExamples: [RuleExample] = [], triggeringExamples: [RuleExample] = []
    ) {
        self.id = id
        self.summary = summary
        self.rationale = rationale
        self.contractSections = contractSections
        self.defaultSeverity = defaultSeverity
        self.nonTriggeringExamples = nonTriggeringExamples
        self.triggeringExamples = triggeringExamples
    }

    /// The summary reporters show.
    public var ruleSummary: RuleSummary {
        RuleSummary(id: id, summary: summary, defaultSeverity: defaultSeverity)
    }
}

/// An in-memory repository for a rule example. In a triggering example, each `↓` in a file
/// marks the line and column of one expected finding (the marker is removed before checking);
/// findings about whole files or folders are listed in `expectedPaths`.
public struct RuleExample: Sendable, CustomStringConvertible {
    public var files: [String: String]
    public var expectedPaths: [String]
    /// A short label for test output.
    public var label: String
    /// Files the scanner could not read as text (too large, a link not followed, …), by path.
    public var unreadFiles: [String: FileContent]

    public init(_ label: String, files: [String: String], expectedPaths: [String] = [], unreadFiles: [String: FileContent] = [:]) {
        self.label = label
        self.files = files
        self.expectedPaths = expectedPaths
        self.unreadFiles = unreadFiles
    }

    /// The repository the example describes, as the scanner would have read it.
    public var snapshot: RepoSnapshot {
        let text = RepoScanner.snapshot(files: cleanFiles)
        let unread = unreadFiles.map { RepoFile(path: $0.key, size: 0, content: $0.value) }
        return RepoSnapshot(root: text.root, files: text.files + unread)
    }

    public var description: String { label }

    /// The marker for an expected finding.
    public static let marker: Character = "↓"

    /// The files with markers removed.
    public var cleanFiles: [String: String] {
        files.mapValues { $0.filter { $0 != Self.marker } }
    }

    /// The locations the markers point at, as `path:line:column`.
    public var expectedLocations: [SourceLocation] {
        var locations: [SourceLocation] = expectedPaths.map { SourceLocation(path: $0) }
        for (path, text) in files {
            var line = 1
            var column = 1
            for character in text {
                if character == Self.marker {
                    locations.append(SourceLocation(path: path, line: line, column: column))
                    continue
                }
                if character == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
        }
        return locations.sorted()
    }
}
