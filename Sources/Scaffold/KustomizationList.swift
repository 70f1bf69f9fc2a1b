import HomeportCore

/// Edits the `resources:` list of a kustomize `kustomization.yaml` as text, so comments and
/// layout of the rest of the file stay as they are.
enum KustomizationList {
    /// `text` with `entry` added as the last item of its top-level `resources:` list (or a new
    /// list at the end when there is none). Throws when the entry is already listed.
    static func appending(_ entry: String, to text: String, path: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.firstIndex(where: { $0.trimmingTrailingSpaces == "resources:" }) else {
            return lines.joined(separator: "\n") + "\nresources:\n  - \(entry)\n"
        }
        var insertAt = header + 1
        var index = header + 1
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingLeadingSpaces
            if trimmed.hasPrefix("- ") {
                let item = String(trimmed.dropFirst(2)).trimmingTrailingSpaces
                if item == entry || item == "./" + entry {
                    throw HomeportError("\(path) already lists \(entry)")
                }
                insertAt = index + 1
            } else if !(trimmed.isEmpty || trimmed.hasPrefix("#")) {
                break
            }
            index += 1
        }
        let indent = lines[header + 1 ..< insertAt].first { $0.trimmingLeadingSpaces.hasPrefix("- ") }
            .map { String($0.prefix { $0 == " " }) } ?? "  "
        lines.insert("\(indent)- \(entry)", at: insertAt)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " || $0 == "\t" }) }
    var trimmingTrailingSpaces: String {
        var result = self
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
        return result
    }
}
