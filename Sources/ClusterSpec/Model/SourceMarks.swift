import Manifests

/// The marks of values in the cluster definition file, by key path (`network.gateway`,
/// `nodes[1].mac`, `network.dnsServers[0]`). Marks say where a value was written, not what
/// the cluster is, so they never make two definitions unequal: all marks compare equal.
public struct SourceMarks: Sendable, Hashable {
    public static func == (lhs: SourceMarks, rhs: SourceMarks) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}

    var values: [String: Mark] = [:]
    var keys: [String: Mark] = [:]

    public init() {}

    /// Where the value at `path` was written; falls back to the nearest enclosing value.
    public func value(_ path: String) -> Mark? {
        var current = path
        while true {
            if let mark = values[current] { return mark }
            guard let parent = Self.parent(of: current) else { return nil }
            current = parent
        }
    }

    /// Where the key of `path` was written (falls back like ``value(_:)``).
    public func key(_ path: String) -> Mark? {
        keys[path] ?? value(path)
    }

    mutating func record(value mark: Mark, at path: String) {
        values[path] = mark
    }

    mutating func record(key mark: Mark, at path: String) {
        keys[path] = mark
    }

    static func parent(of path: String) -> String? {
        guard let index = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return path.isEmpty ? nil : "" }
        return String(path[..<index])
    }
}
