/// The change set as reviewers read it: plain text for a terminal, Markdown for a pull-request
/// comment (`github` adds collapsible sections per Flux Kustomization).
extension FluxChangeSet {
    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, github
    }

    /// Renders the changes against `base` (the revision named in headings).
    public func render(_ format: Format, base: String) -> String {
        switch format {
        case .text: text()
        case .markdown: markdown(base: base, collapsible: false)
        case .github: markdown(base: base, collapsible: true)
        }
    }

    private static func sign(_ change: Change) -> String {
        switch change {
        case .added: "+"
        case .removed: "-"
        case .modified: "±"
        }
    }

    private var summary: String {
        let count = { (change: Change) in objects.filter { $0.change == change }.count }
        return "\(objects.count) object(s) change: \(count(.added)) added, \(count(.removed)) removed, \(count(.modified)) modified"
    }

    private func text() -> String {
        guard !isEmpty else { return "no changes\n" }
        var lines = [summary, ""]
        if !images.isEmpty {
            lines.append("images")
            for image in images { lines.append("  \(image.object): \(image.old ?? "(none)") → \(image.new ?? "(none)")") }
            lines.append("")
        }
        for object in objects {
            lines.append("\(Self.sign(object.change)) \(object.title)  (Flux Kustomization \(object.kustomization))")
            for field in object.fields {
                lines.append("    \(field.path)")
                if let old = field.old { lines += Self.indented(old, prefix: "      - ") }
                if let new = field.new { lines += Self.indented(new, prefix: "      + ") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func indented(_ value: String, prefix: String) -> [String] {
        value.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            (index == 0 ? prefix : String(repeating: " ", count: prefix.count)) + line
        }
    }

    private func markdown(base: String, collapsible: Bool) -> String {
        var lines = ["### Flux diff against `\(base)`", ""]
        guard !isEmpty else { return (lines + ["No object changes."]).joined(separator: "\n") + "\n" }
        lines += [summary + ".", ""]
        if !images.isEmpty {
            lines += ["**Images**", "", "| object | before | after |", "|---|---|---|"]
            for image in images {
                lines.append("| \(Self.cell(image.object)) | \(image.old.map { "`\($0)`" } ?? "—") | \(image.new.map { "`\($0)`" } ?? "—") |")
            }
            lines.append("")
        }
        var owners: [String] = []
        for object in objects where !owners.contains(object.kustomization) { owners.append(object.kustomization) }
        for owner in owners {
            let owned = objects.filter { $0.kustomization == owner }
            if collapsible {
                lines += ["<details><summary>Flux Kustomization <code>\(owner)</code>: \(owned.count) object(s)</summary>", ""]
            } else {
                lines += ["#### Flux Kustomization `\(owner)`", ""]
            }
            for object in owned {
                lines.append("- **\(object.change.rawValue)** `\(object.title)`")
                guard !object.fields.isEmpty else { continue }
                lines += ["", "  ```diff"]
                for field in object.fields {
                    lines.append("  # \(field.path)")
                    if let old = field.old { lines += Self.indented(old, prefix: "  - ") }
                    if let new = field.new { lines += Self.indented(new, prefix: "  + ") }
                }
                lines += ["  ```", ""]
            }
            if collapsible { lines += ["", "</details>", ""] }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
