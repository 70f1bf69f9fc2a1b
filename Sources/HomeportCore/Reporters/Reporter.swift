/// Turns a check report into text. Reporters are pure functions so they can be tested with
/// golden strings.
public protocol Reporter: Sendable {
    /// The `--format` value that selects this reporter.
    static var identifier: String { get }
    func report(_ report: CheckReport) -> String
}

/// The output formats of `homeport check`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, sarif, github

    /// The reporter for this format; `colored` only affects text.
    public func reporter(colored: Bool = false) -> any Reporter {
        switch self {
        case .text: TextReporter(colored: colored)
        case .json: JSONReporter()
        case .sarif: SARIFReporter()
        case .github: GitHubActionsReporter()
        }
    }
}
