/// Writes ``YAMLNode`` trees as YAML text the way `kubectl kustomize` prints objects: keys
/// sorted by byte order, block style, 2-space indentation, sequences not indented below their
/// key, strings quoted only when a YAML 1.1 reader would take them for something else, long
/// plain lines folded at 80 columns, and multi-line strings as literal blocks.
public enum YAMLEmitter {
    /// The column after which long scalars are folded at a space.
    static let width = 80

    /// Several documents separated by `---` lines.
    public static func emit(documents: [YAMLNode]) -> String {
        documents.map(emit(document:)).joined(separator: "---\n")
    }

    /// One document, ending in a newline.
    public static func emit(document: YAMLNode) -> String {
        var writer = Writer()
        switch document {
        case .mapping(let mapping) where !mapping.entries.isEmpty:
            writer.mapping(mapping, indent: 0)
        case .sequence(let sequence) where !sequence.items.isEmpty:
            writer.sequence(sequence, indent: 0)
        default:
            writer.output += writer.inline(document, indent: 0, column: 0)
            writer.output += "\n"
        }
        return writer.output
    }

    /// The mapping's entries in emission order (keys sorted by UTF-8 bytes, as Go sorts them).
    public static func sortedEntries(_ mapping: YAMLMapping) -> [YAMLMapping.Entry] {
        mapping.entries.sorted { lhs, rhs in
            let left = lhs.key.scalar?.value ?? ""
            let right = rhs.key.scalar?.value ?? ""
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
    }

    struct Writer {
        var output = ""

        mutating func mapping(_ mapping: YAMLMapping, indent: Int, firstLineWritten: Bool = false) {
            var first = firstLineWritten
            for entry in YAMLEmitter.sortedEntries(mapping) {
                if !first { output += String(repeating: " ", count: indent) }
                first = false
                let key = YAMLEmitter.scalarText(entry.key.scalar?.value ?? "", kind: .string, indent: indent, column: indent, isKey: true)
                output += key + ":"
                value(entry.value, indent: indent, column: indent + key.count + 1, inMapping: true)
            }
        }

        mutating func sequence(_ sequence: YAMLSequence, indent: Int) {
            for item in sequence.items {
                output += String(repeating: " ", count: indent) + "-"
                value(item, indent: indent, column: indent + 1, inMapping: false)
            }
        }

        /// Writes what follows `key:` or `-`, including the newline.
        mutating func value(_ node: YAMLNode, indent: Int, column: Int, inMapping: Bool) {
            switch node {
            case .mapping(let mapping) where !mapping.entries.isEmpty:
                if inMapping {
                    output += "\n"
                    self.mapping(mapping, indent: indent + 2)
                } else {
                    output += " "
                    self.mapping(mapping, indent: indent + 2, firstLineWritten: true)
                }
            case .sequence(let sequence) where !sequence.items.isEmpty:
                if inMapping {
                    output += "\n"
                    self.sequence(sequence, indent: indent)
                } else {
                    output += " "
                    // A nested sequence starts on the dash line.
                    var nested = Writer()
                    nested.sequence(sequence, indent: indent + 2)
                    output += nested.output.dropFirst(indent + 2)
                }
            default:
                output += " " + inline(node, indent: indent + 2, column: column + 1) + "\n"
            }
        }

        func inline(_ node: YAMLNode, indent: Int, column: Int) -> String {
            switch node {
            case .mapping: return "{}"
            case .sequence: return "[]"
            case .scalar(let scalar):
                return YAMLEmitter.scalarText(scalar.value, kind: scalar.kind, indent: indent, column: column, isKey: false)
            }
        }
    }

    /// The text of a scalar of a given type, quoted or folded as needed.
    static func scalarText(_ value: String, kind: ScalarKind, indent: Int, column: Int, isKey: Bool) -> String {
        switch kind {
        case .null: return "null"
        case .bool: return value.lowercased() == "true" ? "true" : "false"
        case .int: return normalizedInteger(value)
        case .float: return normalizedFloat(value)
        case .string: break
        }
        if value.isEmpty { return "\"\"" }
        let analysis = ScalarAnalysis(value)
        if value.contains("\n"), !isKey, analysis.literalAllowed {
            return literal(value, indent: indent)
        }
        if resolvesToNonString(value) { return doubleQuoted(value, indent: indent, column: column) }
        if analysis.plainAllowed {
            return isKey ? value : folded(value, column: column, indent: indent)
        }
        if analysis.singleQuotedAllowed, !value.contains("\n") {
            let escaped = value.replacingOccurrences(of: "'", with: "''")
            return isKey ? "'\(escaped)'" : "'" + folded(escaped, column: column + 1, indent: indent) + "'"
        }
        return doubleQuoted(value, indent: indent, column: column)
    }

    /// Breaks a plain or single-quoted scalar at single spaces once past the width, as the
    /// YAML 1.1 emitter does; continuation lines are indented.
    static func folded(_ text: String, column start: Int, indent: Int? = nil) -> String {
        guard text.count + start > width else { return text }
        let continuation = indent ?? 0
        var result = ""
        var column = start
        let characters = Array(text)
        var previousWasSpace = false
        for (index, character) in characters.enumerated() {
            if character == " " {
                let nextIsSpace = index + 1 < characters.count && characters[index + 1] == " "
                if !previousWasSpace, column > width, !nextIsSpace, index + 1 < characters.count {
                    result += "\n" + String(repeating: " ", count: continuation)
                    column = continuation
                    previousWasSpace = true
                    continue
                }
                previousWasSpace = true
            } else {
                previousWasSpace = false
            }
            result.append(character)
            column += 1
        }
        return result
    }

    static func literal(_ value: String, indent: Int) -> String {
        var header = "|"
        if value.first == " " || value.first == "\n" { header += "2" }
        var body = value
        if !value.hasSuffix("\n") {
            header += "-"
        } else if value.hasSuffix("\n\n") || value == "\n" {
            header += "+"
        }
        if body.hasSuffix("\n") { body.removeLast() }
        let pad = String(repeating: " ", count: indent)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
        return header + "\n" + lines.joined(separator: "\n")
    }

    /// A double-quoted scalar, folded at spaces past the width the way the YAML 1.1 emitter
    /// does (a continuation line starting with a space is escaped with `\`).
    static func doubleQuoted(_ value: String, indent: Int, column start: Int) -> String {
        var result = "\""
        var column = start + 1
        let scalars = Array(value.unicodeScalars)
        var previousWasSpace = false
        for (index, scalar) in scalars.enumerated() {
            if scalar == " " {
                if !previousWasSpace, column > width, index != 0, index != scalars.count - 1 {
                    result += "\n" + String(repeating: " ", count: indent)
                    column = indent
                    if index + 1 < scalars.count, scalars[index + 1] == " " {
                        result += "\\"
                        column += 1
                    }
                } else {
                    result += " "
                    column += 1
                }
                previousWasSpace = true
                continue
            }
            previousWasSpace = false
            let piece: String
            switch scalar {
            case "\"": piece = "\\\""
            case "\\": piece = "\\\\"
            case "\n": piece = "\\n"
            case "\t": piece = "\\t"
            case "\r": piece = "\\r"
            case "\0": piece = "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    piece = "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
                } else if scalar.value == 0xFEFF || (scalar.value >= 0x80 && scalar.value < 0xA0) {
                    piece = "\\u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                } else {
                    piece = String(scalar)
                }
            }
            result += piece
            column += piece.unicodeScalars.count
        }
        return result + "\""
    }

    /// True when a YAML 1.1 reader (the one kubectl prints for) would not read the text as a
    /// string: booleans such as `yes`/`on`, null, numbers in any base, base-60 numbers, dates.
    static func resolvesToNonString(_ text: String) -> Bool {
        switch text {
        case "~", "null", "Null", "NULL",
             "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
             "true", "True", "TRUE", "false", "False", "FALSE",
             "on", "On", "ON", "off", "Off", "OFF",
             ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return true
        default: break
        }
        guard let first = text.unicodeScalars.first,
              first == "+" || first == "-" || first == "." || ("0"..."9").contains(first) else { return false }
        if ScalarKind.resolvePlain(text) != .string { return true }
        let digitsOnly = text.replacingOccurrences(of: "_", with: "")
        if ScalarKind.resolvePlain(digitsOnly) != .string { return true }
        if digitsOnly.hasPrefix("0b") || digitsOnly.hasPrefix("-0b") || digitsOnly.hasPrefix("+0b") { return true }
        if isBase60(text) || looksLikeDate(text) { return true }
        return false
    }

    private static func isBase60(_ text: String) -> Bool {
        // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, let firstChar = head.first, firstChar.isASCII, firstChar.isNumber,
              head.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }) else { return false }
        for (index, part) in parts.dropFirst().enumerated() {
            var segment = part
            if index == parts.count - 2, let dot = part.firstIndex(of: ".") {
                guard part[part.index(after: dot)...].allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }) else { return false }
                segment = part[..<dot]
            }
            guard (1...2).contains(segment.count), segment.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            if segment.count == 2, let tens = segment.first, tens > "5" { return false }
        }
        return true
    }

    private static func looksLikeDate(_ text: String) -> Bool {
        // YYYY-M-D, optionally followed by a time: what Go's YAML reader takes for a timestamp.
        let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].count == 4, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              (1...2).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        let day = parts[2].prefix { $0.isASCII && $0.isNumber }
        guard (1...2).contains(day.count) else { return false }
        let rest = text.dropFirst(5 + parts[1].count + 1 + day.count)
        return rest.isEmpty || rest.first == "T" || rest.first == "t" || rest.first == " "
    }

    static func normalizedInteger(_ text: String) -> String {
        var body = Substring(text)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        var value: UInt64?
        if body.hasPrefix("0x") { value = UInt64(body.dropFirst(2), radix: 16) }
        else if body.hasPrefix("0o") { value = UInt64(body.dropFirst(2), radix: 8) }
        // A leading zero means octal to the YAML 1.1 reader kubectl prints with (0400 is 256).
        else if body.count > 1, body.hasPrefix("0"), let octal = UInt64(body.dropFirst(), radix: 8) { value = octal }
        else { value = UInt64(body) }
        guard let value else { return text }
        if value == 0 { return "0" }
        return (negative ? "-" : "") + String(value)
    }

    static func normalizedFloat(_ text: String) -> String {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return "+.Inf"
        case "-.inf", "-.Inf", "-.INF": return "-.Inf"
        case ".nan", ".NaN", ".NAN": return ".NaN"
        default: break
        }
        guard let double = Double(text) else { return text }
        return goFormat(double)
    }

    /// Go's `strconv.FormatFloat(f, 'g', -1, 64)` for the values manifests hold: integral
    /// values below a million print as integers, others in their shortest form.
    static func goFormat(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e6 { return String(Int64(value)) }
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

private extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

/// What styles a string may be written in, following the YAML 1.1 emitter's analysis.
struct ScalarAnalysis {
    var plainAllowed = true
    var singleQuotedAllowed = true
    var literalAllowed = true

    init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        if text.hasPrefix("---") || text.hasPrefix("...") { plainAllowed = false }
        var flowIndicators = false
        defer { _ = flowIndicators }
        var blockIndicators = false
        var specialCharacters = false
        var leadingSpace = false, trailingSpace = false, leadingBreak = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false, lineBreaks = false
        var previousSpace = false, previousBreak = false
        for (index, scalar) in scalars.enumerated() {
            let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            let followedByBlank = next == nil || next == " " || next == "\t" || next == "\n" || next == "\r"
            let precededByBlank = index == 0 || scalars[index - 1] == " " || scalars[index - 1] == "\t" || scalars[index - 1] == "\n"
            if index == 0 {
                switch scalar {
                case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`":
                    flowIndicators = true; blockIndicators = true
                case "?", ":":
                    flowIndicators = true
                    if followedByBlank { blockIndicators = true }
                case "-":
                    if followedByBlank { flowIndicators = true; blockIndicators = true }
                default: break
                }
            } else {
                switch scalar {
                case ",", "?", "[", "]", "{", "}": flowIndicators = true
                case ":":
                    flowIndicators = true
                    if followedByBlank { blockIndicators = true }
                case "#":
                    if precededByBlank { flowIndicators = true; blockIndicators = true }
                default: break
                }
            }
            let printable = scalar == "\n" || (scalar.value >= 0x20 && scalar.value != 0x7F && !(scalar.value >= 0x80 && scalar.value < 0xA0)
                && scalar.value != 0xFEFF && !(0xD800...0xDFFF).contains(scalar.value) && scalar.value != 0xFFFE && scalar.value != 0xFFFF)
            if !printable { specialCharacters = true }
            if scalar == " " {
                if index == 0 { leadingSpace = true }
                if index == scalars.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true; previousBreak = false
            } else if scalar == "\n" || scalar == "\r" {
                lineBreaks = true
                if index == 0 { leadingBreak = true }
                if index == scalars.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousBreak = true; previousSpace = false
            } else {
                previousSpace = false; previousBreak = false
            }
        }
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak { plainAllowed = false }
        if trailingSpace { literalAllowed = false }
        if breakSpace { plainAllowed = false; singleQuotedAllowed = false }
        if spaceBreak || specialCharacters { plainAllowed = false; singleQuotedAllowed = false; literalAllowed = false }
        if lineBreaks { plainAllowed = false }
        if blockIndicators { plainAllowed = false }
    }
}
