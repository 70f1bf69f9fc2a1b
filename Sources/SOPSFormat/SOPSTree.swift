/// A typed leaf as sops sees it (go-yaml v3 typing). The associated text is the exact
/// plaintext sops encrypts and hashes into the MAC.
public enum SOPSScalar: Sendable, Hashable {
    case string(String)
    /// Decimal text, e.g. `31` for `0x1F`.
    case int(String)
    /// Go `FormatFloat(v, 'f', -1, 64)` text, e.g. `1000` for `1e3`.
    case float(String)
    case bool(Bool)
    /// RFC 3339 text (Go `MarshalText`).
    case time(String)
    case null

    /// The bytes sops encrypts and hashes, or nil for null (never encrypted nor hashed).
    public var plaintext: String? {
        switch self {
        case .string(let text), .int(let text), .float(let text), .time(let text): text
        case .bool(let value): value ? "True" : "False"
        case .null: nil
        }
    }

    /// The `type:` tag for an encrypted value.
    public var valueType: SOPSValueType? {
        switch self {
        case .string: .str
        case .int: .int
        case .float: .float
        case .bool: .bool
        case .time: .time
        case .null: nil
        }
    }

    /// Rebuilds a value from decrypted text and its type tag.
    public static func from(plaintext: String, type: SOPSValueType) -> SOPSScalar? {
        switch type {
        case .str, .bytes, .comment: .string(plaintext)
        case .int: .int(plaintext)
        case .float: .float(plaintext)
        case .bool:
            switch plaintext {
            case "True", "true": .bool(true)
            case "False", "false": .bool(false)
            default: nil
            }
        case .time: .time(plaintext)
        }
    }
}

/// An item of a mapping: a key with its value, or a comment line (sops encrypts comments
/// too, with the mapping's path as additional data).
public enum SOPSMapItem: Sendable, Hashable {
    case entry(key: String, value: SOPSNode, line: Int?)
    case comment(String)
}

/// A document or value of a sops file, stores aside: what gets encrypted, hashed and written.
public indirect enum SOPSNode: Sendable, Hashable {
    case mapping([SOPSMapItem])
    case sequence([SOPSNode])
    case scalar(SOPSScalar)
    /// A comment inside a sequence.
    case comment(String)

    /// The value under `key` when this is a mapping.
    public subscript(key: String) -> SOPSNode? {
        guard case .mapping(let items) = self else { return nil }
        for item in items {
            if case .entry(let entryKey, let value, _) = item, entryKey == key { return value }
        }
        return nil
    }

    /// The line of `key` when known.
    public func line(of key: String) -> Int? {
        guard case .mapping(let items) = self else { return nil }
        for item in items {
            if case .entry(let entryKey, _, let line) = item, entryKey == key { return line }
        }
        return nil
    }

    /// The text of a scalar (its plaintext form), nil for null and containers.
    public var text: String? {
        if case .scalar(let scalar) = self { return scalar.plaintext }
        return nil
    }

    /// The mapping without the entry `key`.
    public func removing(_ key: String) -> SOPSNode {
        guard case .mapping(let items) = self else { return self }
        return .mapping(items.filter {
            if case .entry(let entryKey, _, _) = $0 { return entryKey != key }
            return true
        })
    }

    /// The mapping with `key` set to `value` (replaced in place, or appended).
    public func setting(_ key: String, _ value: SOPSNode) -> SOPSNode {
        guard case .mapping(var items) = self else { return self }
        for (index, item) in items.enumerated() {
            if case .entry(let entryKey, _, let line) = item, entryKey == key {
                items[index] = .entry(key: key, value: value, line: line)
                return .mapping(items)
            }
        }
        items.append(.entry(key: key, value: value, line: nil))
        return .mapping(items)
    }

    /// The mapping's keys and values, comments left out.
    public var entries: [(key: String, value: SOPSNode)] {
        guard case .mapping(let items) = self else { return [] }
        return items.compactMap {
            if case .entry(let key, let value, _) = $0 { return (key, value) }
            return nil
        }
    }
}
