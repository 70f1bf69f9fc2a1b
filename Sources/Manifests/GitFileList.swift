import Foundation
import HomeportCore

/// Lists files the way git sees them. Returns nil outside a git work tree, so callers can
/// fall back to walking the folder.
public enum GitFileList {
    /// Tracked and untracked files that are not ignored, relative to `root`.
    public static func list(root: String) -> [String]? {
        guard FileManager.default.fileExists(atPath: root + "/.git") else { return nil }
        guard let output = run(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], in: root) else { return nil }
        let paths = output.split(separator: 0).compactMap { String(bytes: $0, encoding: .utf8) }
        return Array(Set(paths))
    }

    /// Files that differ between `reference` and the work tree (committed, staged, unstaged
    /// and untracked), or nil when git cannot answer.
    public static func changedFiles(since reference: String, root: String) -> Set<String>? {
        guard let diff = run(["diff", "-z", "--name-only", reference], in: root),
              let untracked = run(["ls-files", "-z", "--others", "--exclude-standard"], in: root) else { return nil }
        let all = diff.split(separator: 0) + untracked.split(separator: 0)
        return Set(all.compactMap { String(bytes: $0, encoding: .utf8) })
    }

    /// Runs git and returns its standard output, or nil when it fails.
    public static func run(_ arguments: [String], in directory: String) -> Data? {
        let invocation = ProcessInvocation("git", ["-C", directory] + arguments, error: .discard)
        guard let result = try? ProcessRunner().runBlocking(invocation), result.succeeded else { return nil }
        return result.outputData
    }
}
