/// Folded block scalars (`>`) the way go-yaml v3 reads them, so builds equal what
/// `kubectl kustomize` and Flux produce. libyaml follows the YAML specification: the line break
/// before a more-indented line is kept. go-yaml keeps one more: a normal line followed
/// (directly or after empty lines) by a more-indented line gets an extra empty line between them.
enum GoYAMLFolding {
    /// The go-yaml value of a folded scalar, from the value libyaml produced.
    static func adjust(_ value: String) -> String {
        guard value.contains("\n ") || value.contains("\n\t") else { return value }
        var result: [Substring] = []
        // Whether the last non-empty line was a normal (not more-indented) line.
        var afterNormalLine = false
        var pendingEmpty = 0
        for line in value.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                pendingEmpty += 1
                continue
            }
            let moreIndented = line.first == " " || line.first == "\t"
            if moreIndented, afterNormalLine { result.append("") }
            result.append(contentsOf: repeatElement("", count: pendingEmpty))
            pendingEmpty = 0
            result.append(line)
            afterNormalLine = !moreIndented
        }
        result.append(contentsOf: repeatElement("", count: pendingEmpty))
        return result.joined(separator: "\n")
    }
}
