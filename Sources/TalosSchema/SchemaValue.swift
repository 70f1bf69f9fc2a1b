import Foundation

/// A JSON value: the schemas homeport ships are parsed into it, and documents are converted
/// to it for validation, so this module needs neither Yams nor the Talos generator.
public indirect enum SchemaValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case object([(key: String, value: SchemaValue)])
    case array([SchemaValue])

    public static func == (lhs: SchemaValue, rhs: SchemaValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): Double(a) == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && a.allSatisfy { entry in b.contains { $0.key == entry.key && $0.value == entry.value } }
        default: false
        }
    }

    /// The value under `key` of an object.
    public subscript(key: String) -> SchemaValue? {
        guard case .object(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var arrayValue: [SchemaValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var objectValue: [(key: String, value: SchemaValue)]? {
        if case .object(let entries) = self { return entries }
        return nil
    }

    /// A short rendering for messages.
    public var inline: String {
        switch self {
        case .string(let text): return "\"\(text)\""
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return String(flag)
        case .null: return "null"
        case .array(let items): return "[" + items.map(\.inline).joined(separator: ", ") + "]"
        case .object(let entries): return "{" + entries.map { "\($0.key): \($0.value.inline)" }.joined(separator: ", ") + "}"
        }
    }

    /// Parses JSON text.
    public init(json text: String) throws {
        self = try JSONDecoder().decode(SchemaValue.self, from: Data(text.utf8))
    }
}

extension SchemaValue: Decodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Booleans are tried before numbers: JSONDecoder does not turn `1` into `true`.
    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            self = .object(try object.allKeys.map(\.stringValue).sorted().map { key in
                (key: key, value: try object.decode(SchemaValue.self, forKey: Key(stringValue: key)))
            })
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [SchemaValue] = []
            while !array.isAtEnd { items.append(try array.decode(SchemaValue.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let flag = try? single.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? single.decode(Int.self) {
            self = .int(number)
        } else if let number = try? single.decode(Double.self) {
            self = .double(number)
        } else {
            self = .string(try single.decode(String.self))
        }
    }
}
