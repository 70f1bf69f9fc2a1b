/// Marked sections of a Markdown document that homeport writes:
/// `<!-- homeport:begin NAME -->` … `<!-- homeport:end NAME -->`. Everything outside the
/// markers belongs to people; everything inside is regenerated from the repository.
public struct GeneratedSections: Sendable {
    /// One marked section as found in the document.
    public struct Section: Sendable, Hashable {
        public var name: String
        /// 1-based line of the begin marker.
        public var line: Int
        /// The lines between the markers, joined with newlines (with a trailing newline when not empty).
        public var content: String
    }

    public let sections: [Section]
    /// Problems with the markers themselves (an end without a begin, a begin never closed).
    public let problems: [(line: Int, message: String)]
    private let lines: [Substring]

    public init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var sections: [Section] = []
        var problems: [(Int, String)] = []
        var open: (name: String, line: Int, body: [Substring])?
        for (index, line) in lines.enumerated() {
            if let name = Self.markerName(line, kind: "begin") {
                if let current = open { problems.append((current.line, "section '\(current.name)' is not closed before the next begins")) }
                open = (name, index + 1, [])
            } else if let name = Self.markerName(line, kind: "end") {
                guard let current = open, current.name == name else {
                    problems.append((index + 1, "end of section '\(name)' without its begin marker"))
                    continue
                }
                let content = current.body.isEmpty ? "" : current.body.joined(separator: "\n") + "\n"
                sections.append(Section(name: name, line: current.line, content: content))
                open = nil
            } else if open != nil {
                open?.body.append(line)
            }
        }
        if let current = open { problems.append((current.line, "section '\(current.name)' has no end marker")) }
        self.sections = sections
        self.problems = problems
    }

    /// The document with each known section's body replaced by `contents[name]`.
    public func replacing(_ contents: [String: String]) -> String {
        var output: [Substring] = []
        var skipping = false
        for line in lines {
            if let name = Self.markerName(line, kind: "begin"), let content = contents[name] {
                output.append(line)
                output += content.split(separator: "\n", omittingEmptySubsequences: false).dropLast(content.hasSuffix("\n") ? 1 : 0)
                skipping = true
                continue
            }
            if skipping, Self.markerName(line, kind: "end") != nil {
                skipping = false
            }
            if !skipping { output.append(line) }
        }
        return output.joined(separator: "\n")
    }

    static func markerName(_ line: Substring, kind: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let prefix = "<!-- homeport:\(kind) "
        guard trimmed.hasPrefix(prefix), trimmed.hasSuffix("-->") else { return nil }
        let name = trimmed.dropFirst(prefix.count).dropLast(3).trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }
}

import Foundation
