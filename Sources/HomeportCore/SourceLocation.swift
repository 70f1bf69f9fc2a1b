/// A place in the repository: a path relative to the repo root and, when known, a 1-based
/// line and column.
public struct SourceLocation: Sendable, Hashable, Codable, Comparable {
    /// Path relative to the repository root, `/`-separated (a directory ends without `/`).
    public var path: String
    /// 1-based line, or nil when the finding concerns a whole file or directory.
    public var line: Int?
    /// 1-based column in Unicode scalars, or nil.
    public var column: Int?

    public init(path: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.path != rhs.path { return lhs.path < rhs.path }
        if (lhs.line ?? 0) != (rhs.line ?? 0) { return (lhs.line ?? 0) < (rhs.line ?? 0) }
        return (lhs.column ?? 0) < (rhs.column ?? 0)
    }

    /// `path:line:col`, leaving out what is unknown.
    public var description: String {
        var text = path
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}
