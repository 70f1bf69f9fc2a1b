/// Writes ``SOPSNode`` documents as block-style YAML (2-space indent), keeping key order and
/// comments. Strings that would read back as another type are quoted.
public enum YAMLWriter {
    /// Several documents, separated by `---`.
    public static func emit(_ documents: [SOPSNode]) -> String {
        documents.map { emitDocument($0) }.joined(separator: "---\n")
    }

    static func emitDocument(_ node: SOPSNode) -> String {
        var output = ""
        switch node {
        case .mapping, .sequence:
            writeBlock(node, indent: 0, into: &output)
        case .scalar(let scalar):
            output += inline(scalar, indent: 0) + "\n"
        case .comment(let text):
            output += "#\(text)\n"
        }
        return output
    }

    private static func isEmptyContainer(_ node: SOPSNode) -> String? {
        switch node {
        case .mapping: return node.entries.isEmpty ? "{}" : nil
        case .sequence(let items):
            return items.allSatisfy({ if case .comment = $0 { return true } else { return false } }) ? "[]" : nil
        default: return nil
        }
    }

    /// Writes a mapping or sequence whose first line starts at column `indent`.
    private static func writeBlock(_ node: SOPSNode, indent: Int, into output: inout String, firstLinePrefix: String? = nil) {
        let pad = String(repeating: " ", count: indent)
        var prefix = firstLinePrefix
        func linePrefix() -> String {
            if let p = prefix { prefix = nil; return p }
            return pad
        }
        switch node {
        case .mapping(let items):
            for item in items {
                switch item {
                case .comment(let text):
                    output += linePrefix() + "#" + text + "\n"
                case .entry(let key, let value, _):
                    output += linePrefix() + keyText(key) + ":"
                    writeValue(value, indent: indent, into: &output)
                }
            }
        case .sequence(let items):
            for item in items {
                if case .comment(let text) = item {
                    output += linePrefix() + "#" + text + "\n"
                    continue
                }
                let start = linePrefix() + "- "
                if let empty = isEmptyContainer(item) {
                    output += start + empty + "\n"
                } else if case .scalar(let scalar) = item {
                    output += start + inline(scalar, indent: indent + 2) + "\n"
                } else {
                    writeBlock(item, indent: indent + 2, into: &output, firstLinePrefix: start)
                }
            }
        case .scalar(let scalar):
            output += linePrefix() + inline(scalar, indent: indent) + "\n"
        case .comment(let text):
            output += linePrefix() + "#" + text + "\n"
        }
    }

    /// Writes what follows `key:`.
    private static func writeValue(_ value: SOPSNode, indent: Int, into output: inout String) {
        if let empty = isEmptyContainer(value) {
            output += " " + empty + "\n"
            return
        }
        switch value {
        case .scalar(let scalar):
            output += " " + inline(scalar, indent: indent + 2) + "\n"
        case .mapping, .sequence:
            output += "\n"
            writeBlock(value, indent: indent + 2, into: &output)
        case .comment:
            output += "\n"
        }
    }

    static func keyText(_ key: String) -> String {
        needsQuotes(key) ? JSONTree.quote(key) : key
    }

    static func inline(_ scalar: SOPSScalar, indent: Int) -> String {
        switch scalar {
        case .string(let text): return stringText(text, indent: indent)
        case .int(let text), .time(let text): return text
        case .float(let text):
            switch text {
            case "+Inf": return ".inf"
            case "-Inf": return "-.inf"
            case "NaN": return ".nan"
            default: return text
            }
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        }
    }

    private static func stringText(_ text: String, indent: Int) -> String {
        if text.contains("\n"), let literal = literalBlock(text, indent: indent) { return literal }
        return needsQuotes(text) ? JSONTree.quote(text) : text
    }

    /// A literal block (`|`, `|-` or `|+`) when the text can be written as one.
    private static func literalBlock(_ text: String, indent: Int) -> String? {
        guard !text.hasPrefix(" "), !text.hasPrefix("\n"),
              !text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || $0 == "\u{FEFF}" })
        else { return nil }
        var body = Substring(text)
        var trailingNewlines = 0
        while body.hasSuffix("\n") { body = body.dropLast(); trailingNewlines += 1 }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.contains(where: { $0.hasSuffix(" ") }) { return nil }
        let chomp = trailingNewlines == 0 ? "-" : (trailingNewlines == 1 ? "" : "+")
        let pad = String(repeating: " ", count: max(indent, 2))
        var result = "|" + chomp
        for line in lines { result += "\n" + (line.isEmpty ? "" : pad + line) }
        if trailingNewlines > 1 { result += String(repeating: "\n", count: trailingNewlines - 1) }
        return result
    }

    /// True when a plain scalar would not read back as this exact string.
    static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty { return true }
        if case .string = GoYAMLTyping.resolvePlain(text) {} else { return true }
        // YAML 1.1 readers (and Yams' default resolver) treat these as booleans or null.
        let yaml11Words: Set<String> = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                                        "on", "On", "ON", "off", "Off", "OFF", "~"]
        if yaml11Words.contains(text) { return true }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return true }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return true }
        if "0123456789+.".unicodeScalars.contains(first) { return true }
        if first == " " || last == " " || first == "\t" || last == "\t" || last == ":" { return true }
        if text.contains(": ") || text.contains(" #") || text.contains("\t") { return true }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{FEFF}" || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return true
        }
        return false
    }
}
