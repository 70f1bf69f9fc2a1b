import Foundation

/// Walks a repository and builds a ``RepoSnapshot``, reading and parsing files in parallel.
public struct RepoScanner: Sendable {
    /// Files larger than this are listed but not read: no manifest is this big, and reading a
    /// stray disk image would cost seconds.
    public var maximumFileSize = 4 * 1024 * 1024
    /// Decides which repo-relative paths to leave out (from `homeport.yaml`'s `skip`).
    public var isSkipped: @Sendable (String) -> Bool = { _ in false }

    public init() {}

    /// Reads the repository at `root`. In a git work tree the file list comes from git (tracked
    /// and untracked files, without ignored ones: local secrets in `.talos/` stay unread);
    /// elsewhere the folder is walked.
    public func scan(root: String) throws -> RepoSnapshot {
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RepoScanError.notADirectory(rootURL.path)
        }
        let paths = (GitFileList.list(root: rootURL.path) ?? walk(rootURL)).filter { !isSkipped($0) }
        return RepoSnapshot(root: rootURL.path, files: read(paths, root: rootURL.path))
    }

    /// Builds a snapshot from in-memory files (tests, rule examples, agent proposals).
    public static func snapshot(root: String = "/repo", files: [String: String]) -> RepoSnapshot {
        RepoSnapshot(root: root, files: files.map { path, text in
            RepoScanner.makeFile(path: path, size: text.utf8.count, isExecutable: false, content: .text(text))
        })
    }

    /// Makes a file value, parsing YAML when the extension says so.
    public static func makeFile(path: String, size: Int, isExecutable: Bool, content: FileContent) -> RepoFile {
        var file = RepoFile(path: path, size: size, isExecutable: isExecutable, content: content)
        if file.isYAML, let text = file.text {
            file.yaml = YAMLParser.parse(text)
        }
        return file
    }

    private func read(_ paths: [String], root: String) -> [RepoFile] {
        let results = ResultSlots<RepoFile>(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { position in
            results.set(position, readFile(paths[position], root: root))
        }
        return results.values.compactMap { $0 }
    }

    private func readFile(_ path: String, root: String) -> RepoFile? {
        let fullPath = root + "/" + path
        var info = stat()
        guard lstat(fullPath, &info) == 0 else { return nil }  // listed by git but deleted
        let type = info.st_mode & S_IFMT
        if type == S_IFLNK {
            var target = stat()
            guard stat(fullPath, &target) == 0 else {
                return RepoFile(path: path, size: 0, content: .unreadable("a symbolic link that leads nowhere (or in a loop)"))
            }
            // A link to a folder is not followed: that is how loops start.
            guard target.st_mode & S_IFMT == S_IFREG else { return nil }
            info = target
        } else if type != S_IFREG {
            return nil
        }
        let size = Int(info.st_size)
        let isExecutable = info.st_mode & S_IXUSR != 0
        if size > maximumFileSize {
            return RepoFile(path: path, size: size, isExecutable: isExecutable, content: .tooLarge(size))
        }
        guard let data = FileManager.default.contents(atPath: fullPath) else {
            return RepoFile(path: path, size: size, isExecutable: isExecutable, content: .unreadable("permission denied"))
        }
        return Self.makeFile(path: path, size: size, isExecutable: isExecutable, content: Self.decode(data))
    }

    static func decode(_ data: Data) -> FileContent {
        if data.contains(0) { return .binary }
        guard let text = String(data: data, encoding: .utf8) else { return .notUTF8 }
        return .text(text)
    }

    private func walk(_ root: URL) -> [String] {
        var paths: [String] = []
        let skippedFolders: Set<String> = [".git", ".swiftpm", ".talos"]
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isDirectoryKey, .isSymbolicLinkKey], options: []
        ) else { return [] }
        let prefixLength = root.path.count + 1
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey])
            let name = url.lastPathComponent
            if values?.isDirectory == true, values?.isSymbolicLink != true {
                if skippedFolders.contains(name) || name.hasPrefix(".build") { enumerator.skipDescendants() }
                continue
            }
            let path = String(url.standardizedFileURL.path.dropFirst(prefixLength))
            paths.append(path)
        }
        return paths
    }
}

/// Errors of reading a repository.
public enum RepoScanError: Error, CustomStringConvertible {
    case notADirectory(String)

    public var description: String {
        switch self {
        case .notADirectory(let path): "\(path) is not a directory"
        }
    }
}

/// Fixed slots written from `concurrentPerform`: each index is written by exactly one
/// iteration, so a lock per write is all the coordination needed.
final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value?) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
