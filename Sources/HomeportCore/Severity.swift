/// How serious a finding is. Only `error` findings make `homeport check` exit 1.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case notice
    case warning
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .notice: 0
        case .warning: 1
        case .error: 2
        }
    }
}
