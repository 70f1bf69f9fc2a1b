import HomeportCore
import Manifests

/// A typed, ordered YAML value: what Talos documents, secrets bundles and schematics are built
/// from. Mapping order is kept because the encoders reproduce the field order talosctl writes.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case mapping([(key: String, value: ConfigValue)])
    case sequence([ConfigValue])

    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        case (.sequence(let a), .sequence(let b)): return a == b
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count && a.indices.allSatisfy { a[$0].key == b[$0].key && a[$0].value == b[$0].value }
        default: return false
        }
    }

    /// Builds a mapping from key/value pairs, leaving out the nil values (Go's `omitempty`).
    public static func map(_ pairs: [(String, ConfigValue?)]) -> ConfigValue {
        .mapping(pairs.compactMap { pair in pair.1.map { (key: pair.0, value: $0) } })
    }

    /// A sequence of strings.
    public static func strings(_ values: [String]) -> ConfigValue {
        .sequence(values.map { .string($0) })
    }

    /// The value under `key` of a mapping.
    public subscript(key: String) -> ConfigValue? {
        guard case .mapping(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// Follows dotted mapping keys.
    public subscript(path path: String) -> ConfigValue? {
        var node: ConfigValue? = self
        for key in path.split(separator: ".") { node = node?[String(key)] }
        return node
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var entries: [(key: String, value: ConfigValue)]? {
        if case .mapping(let entries) = self { return entries }
        return nil
    }

    public var items: [ConfigValue]? {
        if case .sequence(let items) = self { return items }
        return nil
    }

    /// Sets `value` under `key`, replacing an existing entry in place or appending a new one.
    public mutating func set(_ key: String, _ value: ConfigValue) {
        guard case .mapping(var entries) = self else { return }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key: key, value: value))
        }
        self = .mapping(entries)
    }

    /// Removes the entry under `key`.
    public mutating func remove(_ key: String) {
        guard case .mapping(var entries) = self else { return }
        entries.removeAll { $0.key == key }
        self = .mapping(entries)
    }

    /// Sets a value under a dotted path, creating the mappings on the way.
    public mutating func set(path: [String], _ value: ConfigValue) {
        guard let first = path.first else { self = value; return }
        if case .mapping = self {} else { self = .mapping([]) }
        var child = self[first] ?? .mapping([])
        child.set(path: Array(path.dropFirst()), value)
        set(first, child)
    }

    /// Compares two trees ignoring mapping order (YAML tree equality).
    public func isTreeEqual(to other: ConfigValue) -> Bool {
        switch (self, other) {
        case (.mapping(let a), .mapping(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { entry in
                b.first { $0.key == entry.key }.map { entry.value.isTreeEqual(to: $0.value) } ?? false
            }
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isTreeEqual(to: $1) }
        default:
            return self == other
        }
    }

    /// The paths where two trees differ, for test failure messages.
    public func differences(from other: ConfigValue, path: String = "") -> [String] {
        switch (self, other) {
        case (.mapping(let a), .mapping(let b)):
            var result: [String] = []
            for entry in a {
                if let match = b.first(where: { $0.key == entry.key }) {
                    result += entry.value.differences(from: match.value, path: path + "." + entry.key)
                } else {
                    result.append("\(path).\(entry.key): only on the left")
                }
            }
            for entry in b where !a.contains(where: { $0.key == entry.key }) {
                result.append("\(path).\(entry.key): only on the right")
            }
            return result
        case (.sequence(let a), .sequence(let b)) where a.count == b.count:
            return zip(a, b).enumerated().flatMap { $0.element.0.differences(from: $0.element.1, path: "\(path)[\($0.offset)]") }
        default:
            return isTreeEqual(to: other) ? [] : ["\(path): \(GoYAMLEncoder.inline(self)) != \(GoYAMLEncoder.inline(other))"]
        }
    }
}

extension ConfigValue {
    /// Converts a parsed YAML node, typing plain scalars by YAML 1.2's core schema.
    public init(_ node: YAMLNode) {
        switch node {
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: self = .null
            case .bool: self = .bool(scalar.value.lowercased() == "true")
            case .int: self = Int(scalar.value).map { .int($0) } ?? .string(scalar.value)
            case .float, .string: self = .string(scalar.value)
            }
        case .mapping(let mapping):
            self = .mapping(mapping.entries.map { (key: $0.key.scalar?.value ?? "", value: ConfigValue($0.value)) })
        case .sequence(let sequence):
            self = .sequence(sequence.items.map { ConfigValue($0) })
        }
    }

    /// Parses every document of a YAML text; a syntax error becomes a ``HomeportError`` naming
    /// `path` and the line.
    public static func documents(fromYAML text: String, path: String) throws -> [ConfigValue] {
        let stream = YAMLParser.parse(text)
        if let error = stream.error {
            throw HomeportError(error.message, at: SourceLocation(path: path, line: error.mark?.line, column: error.mark?.column))
        }
        return stream.documents.map { ConfigValue($0) }
    }
}
