/// A position in a YAML file: 1-based line and column.
public struct Mark: Sendable, Hashable, Codable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A YAML value with the marks of where it was written. Homeport's own tree, so no module but
/// `Manifests` needs to know which YAML parser is underneath.
public indirect enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case mapping(YAMLMapping)
    case sequence(YAMLSequence)

    /// Where the node starts.
    public var mark: Mark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .mapping(let mapping): mapping.mark
        case .sequence(let sequence): sequence.mark
        }
    }
}

/// A scalar and how it was written: the style decides whether `true` is a string or a boolean.
public struct YAMLScalar: Sendable {
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var value: String
    public var style: Style
    /// An explicit tag such as `!!str` or `!secret`, when the file wrote one.
    public var tag: String?
    public var mark: Mark

    public init(value: String, style: Style = .plain, tag: String? = nil, mark: Mark = Mark(line: 0, column: 0)) {
        self.value = value
        self.style = style
        self.tag = tag
        self.mark = mark
    }

    /// The value's type under YAML 1.2's core schema (what kustomize and Flux read).
    public var kind: ScalarKind {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str", "!!str": return .string
            case "tag:yaml.org,2002:int", "!!int": return .int
            case "tag:yaml.org,2002:bool", "!!bool": return .bool
            case "tag:yaml.org,2002:null", "!!null": return .null
            case "tag:yaml.org,2002:float", "!!float": return .float
            default: break
            }
        }
        guard style == .plain else { return .string }
        return ScalarKind.resolvePlain(value)
    }
}

/// The core-schema type of a scalar.
public enum ScalarKind: String, Sendable, Hashable {
    case null, bool, int, float, string

    /// Resolves a plain scalar the way YAML 1.2's core schema does, without regular expressions
    /// (they dominate parse time when run on every scalar).
    public static func resolvePlain(_ text: String) -> ScalarKind {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return .float
        default: break
        }
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
            || first == UInt8(ascii: ".") || (first >= 48 && first <= 57) else { return .string }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            if bytes[1] == UInt8(ascii: "x") {
                return bytes.dropFirst(2).allSatisfy(isHexDigit) ? .int : .string
            }
            if bytes[1] == UInt8(ascii: "o") {
                return bytes.dropFirst(2).allSatisfy { $0 >= 48 && $0 <= 55 } ? .int : .string
            }
        }
        var index = 0
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { index = 1 }
        let digits = bytes[index...]
        if !digits.isEmpty, digits.allSatisfy(isDigit) { return .int }
        return isFloat(Array(digits)) ? .float : .string
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
    }

    // [0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)? with at least one digit before the exponent
    private static func isFloat(_ bytes: [UInt8]) -> Bool {
        var index = 0
        var mantissaDigits = 0
        while index < bytes.count, isDigit(bytes[index]) { index += 1; mantissaDigits += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            var exponentDigits = 0
            while index < bytes.count, isDigit(bytes[index]) { index += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return false }
        }
        return index == bytes.count
    }
}

/// A mapping, keeping the order its keys were written in.
public struct YAMLMapping: Sendable {
    public struct Entry: Sendable {
        public var key: YAMLNode
        public var value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public var entries: [Entry]
    public var tag: String?
    public var isFlow: Bool
    public var mark: Mark

    public init(entries: [Entry], tag: String? = nil, isFlow: Bool = false, mark: Mark = Mark(line: 0, column: 0)) {
        self.entries = entries
        self.tag = tag
        self.isFlow = isFlow
        self.mark = mark
    }

    /// The entry whose key is the scalar `key`.
    public func entry(_ key: String) -> Entry? {
        entries.first { $0.key.scalar?.value == key }
    }

    /// The value under the scalar key `key`.
    public subscript(key: String) -> YAMLNode? {
        entry(key)?.value
    }
}

/// A sequence.
public struct YAMLSequence: Sendable {
    public var items: [YAMLNode]
    public var tag: String?
    public var isFlow: Bool
    public var mark: Mark

    public init(items: [YAMLNode], tag: String? = nil, isFlow: Bool = false, mark: Mark = Mark(line: 0, column: 0)) {
        self.items = items
        self.tag = tag
        self.isFlow = isFlow
        self.mark = mark
    }
}
