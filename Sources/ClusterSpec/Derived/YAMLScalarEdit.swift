import HomeportCore
import Manifests

/// Replaces single scalars in YAML text in place, so a file keeps its comments, layout and
/// every value nobody asked to change. Used by `homeport init` on the definition and by
/// `homeport cluster sync` on files that carry a few derived values among hand-written ones.
public enum YAMLScalarEdit {
    /// One scalar of a parsed text and the value it should hold.
    public struct Replacement: Sendable {
        public var scalar: YAMLScalar
        public var value: String

        public init(_ scalar: YAMLScalar, with value: String) {
            self.scalar = scalar
            self.value = value
        }
    }

    /// `text` with every replacement applied. `path` names the file in errors. Only single-line
    /// plain or quoted scalars can be edited; anything else is an error with file and line.
    public static func apply(_ replacements: [Replacement], to text: String, path: String) throws -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // From the end backwards, so earlier columns on the same line stay valid.
        let ordered = replacements.sorted { ($0.scalar.mark.line, $0.scalar.mark.column) > ($1.scalar.mark.line, $1.scalar.mark.column) }
        for replacement in ordered where replacement.scalar.value != replacement.value {
            try replace(replacement.scalar, with: replacement.value, in: &lines, path: path)
        }
        return lines.joined(separator: "\n")
    }

    private static func replace(_ scalar: YAMLScalar, with value: String, in lines: inout [String], path: String) throws {
        let location = SourceLocation(path: path, line: scalar.mark.line)
        let lineIndex = scalar.mark.line - 1
        guard lines.indices.contains(lineIndex) else { throw HomeportError("cannot find the value at line \(scalar.mark.line)", at: location) }
        var characters = Array(lines[lineIndex])
        let start = scalar.mark.column - 1
        let written: String
        switch scalar.style {
        case .plain: written = scalar.value
        case .doubleQuoted: written = "\"" + scalar.value + "\""
        case .singleQuoted: written = "'" + scalar.value + "'"
        case .literal, .folded: written = "\u{0}"
        }
        let expected = Array(written)
        guard start >= 0, start + expected.count <= characters.count, Array(characters[start..<start + expected.count]) == expected else {
            throw HomeportError("cannot edit the value `\(scalar.value)` in place (write it on one line, plain or simply quoted)", at: location)
        }
        characters.replaceSubrange(start..<start + expected.count, with: Array(yamlText(value, style: scalar.style)))
        lines[lineIndex] = String(characters)
    }

    /// A value as YAML text in the style the file used: quoted stays quoted; plain stays plain
    /// when it reads back as the same string, else it is double-quoted.
    public static func yamlText(_ value: String, style: YAMLScalar.Style = .plain) -> String {
        if style == .singleQuoted, !value.contains("\n") {
            return "'" + value.replacingAll("'", with: "''") + "'"
        }
        let safe = value.unicodeScalars.allSatisfy { $0.isASCII && (isAlphanumeric($0) || "._/:@!+-".unicodeScalars.contains($0)) }
        if style == .plain, safe, let first = value.unicodeScalars.first, isAlphanumeric(first),
           !value.contains(": "), ScalarKind.resolvePlain(value) == .string {
            return value
        }
        let escaped = value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n").replacingAll("\t", with: "\\t")
        return "\"" + escaped + "\""
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
