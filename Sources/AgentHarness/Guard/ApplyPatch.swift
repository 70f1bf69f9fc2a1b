import Foundation

/// Codex's `apply_patch` envelope, read for the files it touches.
///
/// The patch text names every file in a header line: `*** Add File: PATH` (followed by `+`
/// lines, the new content), `*** Update File: PATH` (hunks of ` `, `-` and `+` lines, with an
/// optional `*** Move to: PATH`) and `*** Delete File: PATH`, all between `*** Begin Patch`
/// and `*** End Patch`.
enum ApplyPatch {
    /// One file operation of a patch, as the guard checks it.
    enum Operation: Equatable {
        case add(path: String, content: String)
        /// Hunks as (old text, new text) pairs; `moveTo` is the new name, if any.
        case update(path: String, hunks: [Hunk], moveTo: String?)
        case delete(path: String)
    }

    struct Hunk: Equatable {
        var old: String
        var new: String
    }

    /// The operations of a patch; a text that is not a patch envelope is an error the guard denies.
    static func parse(_ text: String) throws(HookInputError) -> [Operation] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let begin = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "*** Begin Patch" }) else {
            throw HookInputError(message: "the apply_patch input has no '*** Begin Patch' line")
        }
        var operations: [Operation] = []
        var index = begin + 1
        var ended = false
        while index < lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces) == "*** End Patch" {
                ended = true
                break
            }
            if let path = header(line, "*** Add File: ") {
                var content: [String] = []
                index += 1
                while index < lines.count, !lines[index].hasPrefix("*** ") {
                    guard lines[index].hasPrefix("+") else { throw HookInputError(message: "line \(index + 1) of the patch adds a file with a line that does not start with '+'") }
                    content.append(String(lines[index].dropFirst()))
                    index += 1
                }
                operations.append(.add(path: path, content: content.joined(separator: "\n") + (content.isEmpty ? "" : "\n")))
                continue
            }
            if let path = header(line, "*** Delete File: ") {
                operations.append(.delete(path: path))
                index += 1
                continue
            }
            if let path = header(line, "*** Update File: ") {
                index += 1
                var moveTo: String?
                if index < lines.count, let target = header(lines[index], "*** Move to: ") {
                    moveTo = target
                    index += 1
                }
                var hunks: [Hunk] = []
                var old: [String] = []
                var new: [String] = []
                func flush() {
                    if !old.isEmpty || !new.isEmpty { hunks.append(Hunk(old: old.joined(separator: "\n"), new: new.joined(separator: "\n"))) }
                    old = []
                    new = []
                }
                while index < lines.count, !lines[index].hasPrefix("*** ") || lines[index] == "*** End of File" {
                    let body = lines[index]
                    if body.hasPrefix("@@") || body == "*** End of File" {
                        flush()
                    } else if body.hasPrefix("+") {
                        new.append(String(body.dropFirst()))
                    } else if body.hasPrefix("-") {
                        old.append(String(body.dropFirst()))
                    } else if body.hasPrefix(" ") || body.isEmpty {
                        old.append(String(body.dropFirst()))
                        new.append(String(body.dropFirst()))
                    } else {
                        throw HookInputError(message: "line \(index + 1) of the patch is not a hunk line (' ', '-', '+' or '@@')")
                    }
                    index += 1
                }
                flush()
                operations.append(.update(path: path, hunks: hunks, moveTo: moveTo))
                continue
            }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                index += 1
                continue
            }
            throw HookInputError(message: "line \(index + 1) of the patch is not a file header ('*** Add File:', '*** Update File:' or '*** Delete File:')")
        }
        guard ended else { throw HookInputError(message: "the apply_patch input has no '*** End Patch' line") }
        guard !operations.isEmpty else { throw HookInputError(message: "the apply_patch input names no file") }
        return operations
    }

    private static func header(_ line: String, _ prefix: String) -> String? {
        guard line.hasPrefix(prefix) else { return nil }
        let path = line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        return path.isEmpty ? nil : path
    }
}
