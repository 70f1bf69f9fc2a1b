import Foundation

/// An order-preserving JSON reader and a tab-indented writer (sops' JSON layout). Key order
/// matters: the MAC hashes values in file order.
public enum JSONTree {
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var line: Int
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses a JSON document into a tree. Integers become `.int`, other numbers `.float`.
    public static func parse(_ text: String) throws -> SOPSNode {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let node = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return node
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var line = 1

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ message: String) -> ParseError { ParseError(message: message, line: line) }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\n"): line += 1; index += 1
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8) throws {
            guard index < bytes.count, bytes[index] == byte else {
                throw error("expected '\(Character(Unicode.Scalar(byte)))'")
            }
            index += 1
        }

        mutating func value(depth: Int) throws -> SOPSNode {
            guard depth < 512 else { throw error("nested too deeply") }
            guard index < bytes.count else { throw error("unexpected end of the JSON text") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var items: [SOPSMapItem] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .mapping(items) }
                while true {
                    skipWhitespace()
                    let keyLine = line
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let key = try string()
                    if items.contains(where: { if case .entry(let k, _, _) = $0 { return k == key } else { return false } }) {
                        throw error("duplicate key")
                    }
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                    let child = try value(depth: depth + 1)
                    items.append(.entry(key: key, value: child, line: keyLine))
                    skipWhitespace()
                    guard index < bytes.count else { throw error("unexpected end inside an object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    return .mapping(items)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [SOPSNode] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .sequence(items) }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard index < bytes.count else { throw error("unexpected end inside an array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect(UInt8(ascii: "]"))
                    return .sequence(items)
                }
            case UInt8(ascii: "\""):
                return .scalar(.string(try string()))
            case UInt8(ascii: "t"):
                try literal("true"); return .scalar(.bool(true))
            case UInt8(ascii: "f"):
                try literal("false"); return .scalar(.bool(false))
            case UInt8(ascii: "n"):
                try literal("null"); return .scalar(.null)
            default:
                return try number()
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw error("unexpected character")
            }
            index += expected.count
        }

        mutating func number() throws -> SOPSNode {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            guard index > start, let text = String(bytes: bytes[start..<index], encoding: .utf8) else {
                throw error("unexpected character")
            }
            if let integer = Int64(text) { return .scalar(.int(String(integer))) }
            guard let value = Double(text) else { throw error("invalid number") }
            return .scalar(.float(GoYAMLTyping.formatFloat(value)))
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var result: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(bytes: result, encoding: .utf8) else { throw error("a string is not valid UTF-8") }
                    return text
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { throw error("unterminated escape") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "n"): result.append(10)
                    case UInt8(ascii: "t"): result.append(9)
                    case UInt8(ascii: "r"): result.append(13)
                    case UInt8(ascii: "b"): result.append(8)
                    case UInt8(ascii: "f"): result.append(12)
                    case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): result.append(escape)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.count,
                           bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                            index += 2
                            let low = try hex4()
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                        result += Array(String(Character(unicode)).utf8)
                    default: throw error("invalid escape")
                    }
                case UInt8(ascii: "\n"):
                    throw error("a newline inside a string")
                default:
                    result.append(byte)
                }
            }
            throw error("unterminated string")
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count, let text = String(bytes: bytes[index..<index + 4], encoding: .utf8),
                  let value = UInt32(text, radix: 16) else { throw error("invalid \\u escape") }
            index += 4
            return value
        }
    }

    /// Writes a tree as JSON, indented with tabs like sops. Comments are dropped (JSON has none).
    public static func emit(_ node: SOPSNode) -> String {
        var output = ""
        write(node, indent: 0, into: &output)
        return output + "\n"
    }

    private static func write(_ node: SOPSNode, indent: Int, into output: inout String) {
        let pad = String(repeating: "\t", count: indent + 1)
        let closingPad = String(repeating: "\t", count: indent)
        switch node {
        case .mapping:
            let entries = node.entries
            if entries.isEmpty { output += "{}"; return }
            output += "{\n"
            for (offset, entry) in entries.enumerated() {
                output += pad + quote(entry.key) + ": "
                write(entry.value, indent: indent + 1, into: &output)
                output += offset == entries.count - 1 ? "\n" : ",\n"
            }
            output += closingPad + "}"
        case .sequence(let items):
            let values = items.filter { if case .comment = $0 { return false } else { return true } }
            if values.isEmpty { output += "[]"; return }
            output += "[\n"
            for (offset, item) in values.enumerated() {
                output += pad
                write(item, indent: indent + 1, into: &output)
                output += offset == values.count - 1 ? "\n" : ",\n"
            }
            output += closingPad + "]"
        case .scalar(let scalar):
            switch scalar {
            case .string(let text), .time(let text): output += quote(text)
            case .int(let text), .float(let text): output += text
            case .bool(let value): output += value ? "true" : "false"
            case .null: output += "null"
            }
        case .comment:
            break
        }
    }

    /// A JSON string literal.
    public static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
