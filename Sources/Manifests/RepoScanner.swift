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
        var unreadableFolders: [(path: String, reason: String)] = []
        let listed = GitFileList.list(root: rootURL.path) ?? walk(rootURL, unreadableFolders: &unreadableFolders)
        let paths = listed.filter { !isSkipped($0) }
        // Symbolic links are judged against the real root, so a root reached through a link works.
        let realRoot = Self.realPath(rootURL.path) ?? rootURL.path
        var files = read(paths, root: rootURL.path, realRoot: realRoot)
        for folder in unreadableFolders where !isSkipped(folder.path) {
            files.append(RepoFile(path: folder.path, size: 0, content: .unreadable("a folder that cannot be opened (\(folder.reason)); nothing in it was checked")))
        }
        return RepoSnapshot(root: rootURL.path, files: files)
    }

    /// The absolute path with every symbolic link resolved, or nil (and `errno` set) when it
    /// cannot be resolved.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
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

    private func read(_ paths: [String], root: String, realRoot: String) -> [RepoFile] {
        let results = ResultSlots<RepoFile>(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { position in
            results.set(position, readFile(paths[position], root: root, realRoot: realRoot))
        }
        return results.values.compactMap { $0 }
    }

    private func readFile(_ path: String, root: String, realRoot: String) -> RepoFile? {
        var fullPath = root + "/" + path
        var info = stat()
        guard lstat(fullPath, &info) == 0 else { return nil }  // listed by git but deleted
        let type = info.st_mode & S_IFMT
        if type == S_IFLNK {
            switch Self.followLink(path, fullPath: fullPath, realRoot: realRoot) {
            case .file(let resolved, let target):
                fullPath = resolved
                info = target
            case .notFollowed(let reason): return RepoFile(path: path, size: 0, content: .unreadable(reason))
            }
        } else if type != S_IFREG {
            return nil
        }
        let size = Int(info.st_size)
        let isExecutable = info.st_mode & S_IXUSR != 0
        if size > maximumFileSize {
            return RepoFile(path: path, size: size, isExecutable: isExecutable, content: .tooLarge(size))
        }
        guard let data = Self.readAll(fullPath, expectedSize: size) else {
            return RepoFile(path: path, size: size, isExecutable: isExecutable, content: .unreadable("it cannot be read (\(String(cString: strerror(errno)).lowercased())); no rule checked it"))
        }
        return Self.makeFile(path: path, size: size, isExecutable: isExecutable, content: Self.decode(data))
    }

    /// Reads a whole file with plain system calls (Foundation's URL-based reading costs more
    /// than the read itself for small manifests).
    static func readAll(_ path: String, expectedSize: Int) -> Data? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var data = Data(count: expectedSize)
        var total = 0
        while true {
            if total == data.count { data.count += 4096 }
            let count = data.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return systemRead(descriptor, base + total, buffer.count - total)
            }
            if count < 0 { return nil }
            if count == 0 { break }
            total += count
        }
        data.count = total
        return data
    }

    /// Classifies raw bytes the way the scanner does: binary (NUL bytes), not UTF-8, or text.
    public static func decode(_ data: Data) -> FileContent {
        let hasNUL = data.withUnsafeBytes { buffer in
            buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false
        }
        if hasNUL { return .binary }
        guard let text = String(validating: data, as: UTF8.self) else { return .notUTF8 }
        return .text(text)
    }

    /// Lists regular files and symlinks below `root` without following linked folders.
    private func walk(_ root: URL, unreadableFolders: inout [(path: String, reason: String)]) -> [String] {
        var paths: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let folder = relative.isEmpty ? root.path : root.path + "/" + relative
            guard let stream = opendir(folder) else {
                if !relative.isEmpty { unreadableFolders.append((relative, String(cString: strerror(errno)).lowercased())) }
                continue
            }
            defer { closedir(stream) }
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(root.path + "/" + path, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR {
                    if !Self.skippedFolders.contains(name), !name.hasPrefix(".build") { pending.append(path) }
                } else {
                    paths.append(path)
                }
            }
        }
        return paths
    }

    /// Folders never read when walking without git: git's own data, build output, and the
    /// local Talos secrets folder.
    static let skippedFolders: Set<String> = [".git", ".swiftpm", ".talos"]
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

/// The C `read`, out of reach of the scanner's own `read` method name.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
