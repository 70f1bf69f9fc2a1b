/// A path pattern: `*` matches within one path segment, `**` across segments, `?` one
/// character. A pattern ending in `/` matches everything below that folder.
public struct Glob: Sendable, Hashable {
    public let pattern: String

    public init(_ pattern: String) {
        self.pattern = pattern.hasSuffix("/") ? pattern + "**" : pattern
    }

    public func matches(_ path: String) -> Bool {
        Self.match(Array(pattern.unicodeScalars), 0, Array(path.unicodeScalars), 0)
    }

    private static func match(_ pattern: [Unicode.Scalar], _ p: Int, _ text: [Unicode.Scalar], _ t: Int) -> Bool {
        if p == pattern.count { return t == text.count }
        let character = pattern[p]
        if character == "*" {
            let doubled = p + 1 < pattern.count && pattern[p + 1] == "*"
            var next = doubled ? p + 2 : p + 1
            // `**/` also matches zero folders.
            if doubled, next < pattern.count, pattern[next] == "/" {
                if match(pattern, next + 1, text, t) { return true }
                next += 0
            }
            var index = t
            while true {
                if match(pattern, next, text, index) { return true }
                guard index < text.count, doubled || text[index] != "/" else { return false }
                index += 1
            }
        }
        guard t < text.count else { return false }
        if character == "?" { return text[t] != "/" && match(pattern, p + 1, text, t + 1) }
        return character == text[t] && match(pattern, p + 1, text, t + 1)
    }
}
