import Foundation

/// A repository written to a fresh temporary folder, removed when the value is released.
public final class TemporaryRepo: @unchecked Sendable {
    public let root: String

    /// Writes `files` (repo-relative path → content) under a new temporary folder.
    public init(files: [String: String] = [:]) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.path
        for (path, content) in files {
            try write(path, content)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Writes one file, creating its folders.
    public func write(_ path: String, _ content: String) throws {
        try write(path, Data(content.utf8))
    }

    public func write(_ path: String, _ data: Data) throws {
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Reads a file back as text.
    public func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: root + "/" + path).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// Runs `git` in the repository.
    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        try TestProcess.run("/usr/bin/env", ["git", "-C", root] + arguments).standardOutput
    }

    /// Copies a folder tree into the repository.
    public func copy(from source: String, to path: String = "") throws {
        let target = URL(fileURLWithPath: root).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for item in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + item, toPath: target.appendingPathComponent(item).path)
        }
    }
}
