import Manifests

/// Writes ``ConfigValue`` trees the way Go's `yaml.v3` encoder does with a four-space indent,
/// which is how talosctl writes machine configs and secrets bundles, and what the Image Factory
/// hashes to compute a schematic id. Keeping the byte form identical is what makes the
/// schematic id match the factory's.
public enum GoYAMLEncoder {
    /// Encodes one document (no `---`).
    public static func encode(_ value: ConfigValue) -> String {
        var output = ""
        switch value {
        case .mapping(let entries) where !entries.isEmpty:
            writeMapping(entries, keyIndent: 0, childIndent: 4, firstLinePrefix: nil, into: &output)
        case .sequence(let items) where !items.isEmpty:
            writeSequence(items, dashIndent: 0, into: &output)
        default:
            output = inline(value) + "\n"
        }
        return output
    }

    /// Encodes several documents separated by `---` lines.
    public static func encode(documents: [ConfigValue]) -> String {
        documents.map(encode).joined(separator: "---\n")
    }

    /// A one-line rendering (flow style), used in messages.
    public static func inline(_ value: ConfigValue) -> String {
        switch value {
        case .string(let text): return scalar(text)
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .sequence(let items): return "[" + items.map(inline).joined(separator: ", ") + "]"
        case .mapping(let entries): return "{" + entries.map { scalar($0.key) + ": " + inline($0.value) }.joined(separator: ", ") + "}"
        }
    }

    private static func spaces(_ count: Int) -> String { String(repeating: " ", count: count) }

    private static func writeMapping(_ entries: [(key: String, value: ConfigValue)], keyIndent: Int, childIndent: Int,
                                     firstLinePrefix: String?, into output: inout String) {
        for (index, entry) in entries.enumerated() {
            let lead = index == 0 ? (firstLinePrefix ?? spaces(keyIndent)) : spaces(keyIndent)
            output += lead + scalar(entry.key) + ":"
            writeValue(entry.value, childIndent: childIndent, into: &output)
        }
    }

    /// Writes what follows `key:` (or `- `): a scalar on the same line, or a block below.
    private static func writeValue(_ value: ConfigValue, childIndent: Int, into output: inout String) {
        switch value {
        case .mapping(let entries) where !entries.isEmpty:
            output += "\n"
            writeMapping(entries, keyIndent: childIndent, childIndent: childIndent + 4, firstLinePrefix: nil, into: &output)
        case .sequence(let items) where !items.isEmpty:
            output += "\n"
            writeSequence(items, dashIndent: childIndent, into: &output)
        case .string(let text) where text.contains("\n"):
            writeLiteral(text, indent: childIndent, into: &output)
        default:
            output += " " + inline(value) + "\n"
        }
    }

    private static func writeSequence(_ items: [ConfigValue], dashIndent: Int, into output: inout String) {
        for item in items {
            switch item {
            case .mapping(let entries) where !entries.isEmpty:
                writeMapping(entries, keyIndent: dashIndent + 2, childIndent: dashIndent + 4,
                             firstLinePrefix: spaces(dashIndent) + "- ", into: &output)
            case .sequence(let nested) where !nested.isEmpty:
                output += spaces(dashIndent) + "-\n"
                writeSequence(nested, dashIndent: dashIndent + 4, into: &output)
            case .string(let text) where text.contains("\n"):
                output += spaces(dashIndent) + "-"
                // yaml.v3 indents a list item's literal block two past the dash (talosctl's acceptedCAs).
                writeLiteral(text, indent: dashIndent + 2, into: &output)
            default:
                output += spaces(dashIndent) + "- " + inline(item) + "\n"
            }
        }
    }

    private static func writeLiteral(_ text: String, indent: Int, into output: inout String) {
        var body = text
        var chomping = "-"
        if body.hasSuffix("\n") {
            body.removeLast()
            chomping = body.hasSuffix("\n") ? "+" : ""
        }
        output += " |" + chomping + "\n"
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            output += line.isEmpty ? "\n" : spaces(indent) + line + "\n"
        }
    }

    /// A string scalar, quoted only when a plain scalar would read back as something else.
    static func scalar(_ text: String) -> String {
        if text.isEmpty || ScalarKind.resolvePlain(text) != .string || isYAML11Keyword(text) || looksLikeTimestamp(text) {
            return doubleQuoted(text)
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return doubleQuoted(text)
        }
        if !isPlainSafe(text) {
            return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
        return text
    }

    /// go-yaml quotes strings that its resolver would read as timestamps (2001-12-14...).
    private static func looksLikeTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10 else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            index == 4 || index == 7 ? byte == UInt8(ascii: "-") : (byte >= 48 && byte <= 57)
        }
    }

    private static func isYAML11Keyword(_ text: String) -> Bool {
        ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"].contains(text)
    }

    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        if first == " " || last == " " { return false }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
            // "-x" and ":x" style starts are fine in block context when followed by a non-space.
            if first == "-" || first == "?" || first == ":" {
                let second = text.dropFirst().first
                if second == nil || second == " " { return false }
            } else {
                return false
            }
        }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return false }
        return true
    }

    private static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
