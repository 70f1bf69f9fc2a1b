/// Applies a unified diff (`git diff` output) to file contents in memory, so a proposed
/// change can be checked before anything is written.
enum UnifiedDiff {
    struct ApplyError: Error, CustomStringConvertible {
        var description: String
    }

    /// The new content of every file the diff touches (nil for a deleted file).
    static func apply(_ diff: String, original: (String) -> String?) throws(ApplyError) -> [String: String?] {
        var results: [String: String?] = [:]
        let lines = diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("--- "), index + 1 < lines.count, lines[index + 1].hasPrefix("+++ ") else {
                index += 1
                continue
            }
            let oldPath = path(lines[index])
            let newPath = path(lines[index + 1])
            index += 2
            var hunks: [(start: Int, old: [String], new: [String])] = []
            while index < lines.count, lines[index].hasPrefix("@@") {
                let start = hunkStart(lines[index])
                index += 1
                var old: [String] = []
                var new: [String] = []
                while index < lines.count, let marker = lines[index].first, " -+\\".contains(marker) {
                    let body = String(lines[index].dropFirst())
                    switch marker {
                    case " ": old.append(body); new.append(body)
                    case "-": old.append(body)
                    case "+": new.append(body)
                    default: break
                    }
                    index += 1
                }
                // A blank context line may have lost its leading space in transit.
                while index < lines.count, lines[index].isEmpty, index + 1 < lines.count, lines[index + 1].first.map({ " -+".contains($0) }) == true {
                    old.append("")
                    new.append("")
                    index += 1
                }
                hunks.append((start, old, new))
            }
            guard let target = newPath ?? oldPath else { throw ApplyError(description: "a file header without a path") }
            if newPath == nil {
                results[target] = .some(nil)
                continue
            }
            var content: [String] = []
            if let oldPath, let text = original(oldPath) {
                content = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if content.last == "" { content.removeLast() }
            } else if oldPath != nil {
                throw ApplyError(description: "\(oldPath ?? "") does not exist in the repository")
            }
            var offset = 0
            for hunk in hunks {
                guard let position = locate(hunk.old, in: content, near: max(0, hunk.start - 1 + offset)) else {
                    throw ApplyError(description: "a hunk for \(target) does not match the current file (near line \(hunk.start))")
                }
                content.replaceSubrange(position..<(position + hunk.old.count), with: hunk.new)
                offset += hunk.new.count - hunk.old.count
            }
            results[target] = content.isEmpty ? "" : content.joined(separator: "\n") + "\n"
        }
        guard !results.isEmpty else { throw ApplyError(description: "no file changes found; expected `--- a/PATH` / `+++ b/PATH` headers") }
        return results
    }

    private static func path(_ header: String) -> String? {
        var value = String(header.dropFirst(4))
        if let tab = value.firstIndex(of: "\t") { value = String(value[..<tab]) }
        if value == "/dev/null" { return nil }
        if value.hasPrefix("a/") || value.hasPrefix("b/") { value = String(value.dropFirst(2)) }
        return value
    }

    private static func hunkStart(_ header: String) -> Int {
        // @@ -12,3 +12,4 @@
        let parts = header.split(separator: " ")
        guard parts.count > 1, parts[1].hasPrefix("-") else { return 1 }
        return Int(parts[1].dropFirst().split(separator: ",").first ?? "1") ?? 1
    }

    private static func locate(_ needle: [String], in haystack: [String], near guess: Int) -> Int? {
        if needle.isEmpty { return min(guess, haystack.count) }
        func matches(_ start: Int) -> Bool {
            start >= 0 && start + needle.count <= haystack.count && Array(haystack[start..<(start + needle.count)]) == needle
        }
        if matches(guess) { return guess }
        for distance in 1...max(1, haystack.count) {
            if matches(guess - distance) { return guess - distance }
            if matches(guess + distance) { return guess + distance }
        }
        return nil
    }
}
