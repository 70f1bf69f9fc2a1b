import Foundation

/// Every entry of the layout trees in the contract document, at any depth, with its full path
/// and line. ``ContractDocument`` reads only the top level (the allowlist); drift checking
/// needs the nested folders too.
struct ContractLayoutTree {
    struct Entry: Equatable {
        /// Repo-relative path without a trailing `/`.
        var path: String
        var line: Int
        var isDirectory: Bool
    }

    let entries: [Entry]
    /// True when the text has at least one tree block.
    let hasTree: Bool

    /// Reads fenced blocks whose first line is `.` (the same blocks ``ContractDocument`` reads).
    /// Nesting comes from the column of each entry's branch (`├─` or `└─`), so any indentation
    /// width works.
    init(text: String) {
        var entries: [Entry] = []
        var hasTree = false
        var inFence = false
        var inTree = false
        var parents: [(column: Int, name: String)] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                inFence.toggle()
                inTree = false
                parents = []
                continue
            }
            guard inFence else { continue }
            if !inTree {
                inTree = trimmed == "."
                hasTree = hasTree || inTree
                continue
            }
            let characters = Array(line)
            guard let branch = characters.firstIndex(where: { $0 == "├" || $0 == "└" }),
                  characters[..<branch].allSatisfy({ $0 == " " || $0 == "│" || $0 == "\t" }) else { continue }
            let rest = String(characters[(branch + 1)...]).drop { $0 == "─" || $0 == "-" || $0 == " " }
            guard let name = rest.split(separator: " ", maxSplits: 1).first.map(String.init), !name.isEmpty else { continue }
            while let last = parents.last, last.column >= branch { parents.removeLast() }
            let isDirectory = name.hasSuffix("/")
            let bare = isDirectory ? String(name.dropLast()) : name
            let path = (parents.map(\.name) + [bare]).joined(separator: "/")
            entries.append(Entry(path: path, line: lineNumber, isDirectory: isDirectory))
            if isDirectory { parents.append((branch, bare)) }
        }
        self.entries = entries
        self.hasTree = hasTree
    }
}
