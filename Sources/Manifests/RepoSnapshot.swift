import Foundation

/// The repository read and parsed once. Every rule, the Flux engine and the secret scanner
/// read this value; nothing reads the disk again.
public struct RepoSnapshot: Sendable {
    /// Absolute path of the repository root.
    public let root: String
    /// Every file, sorted by path.
    public let files: [RepoFile]
    private let indexByPath: [String: Int]
    /// Every directory that holds at least one file (directly or below), relative to the root.
    public let directories: Set<String>

    public init(root: String, files: [RepoFile]) {
        self.root = root
        let sorted = files.sorted { $0.path < $1.path }
        self.files = sorted
        var index: [String: Int] = [:]
        var directories: Set<String> = []
        for (position, file) in sorted.enumerated() {
            index[file.path] = position
            var folder = file.directory
            while !folder.isEmpty, directories.insert(folder).inserted {
                folder = folder.lastIndex(of: "/").map { String(folder[..<$0]) } ?? ""
            }
        }
        self.indexByPath = index
        self.directories = directories
    }

    /// The file at a repo-relative path.
    public func file(_ path: String) -> RepoFile? {
        indexByPath[path].map { files[$0] }
    }

    /// Files under a repo-relative folder (at any depth).
    public func files(under folder: String) -> [RepoFile] {
        files.filter { $0.isInside(folder) }
    }

    /// Directories directly inside `folder` (names only), sorted.
    public func subdirectories(of folder: String) -> [String] {
        let prefix = folder.isEmpty ? "" : folder + "/"
        return directories.compactMap { directory -> String? in
            guard directory.hasPrefix(prefix) else { return nil }
            let rest = directory.dropFirst(prefix.count)
            return rest.contains("/") || rest.isEmpty ? nil : String(rest)
        }.sorted()
    }

    /// Files directly inside `folder` (not in subfolders).
    public func filesDirectly(in folder: String) -> [RepoFile] {
        files.filter { $0.directory == folder }
    }

    /// True when `path` is a file or a directory of the snapshot.
    public func exists(_ path: String) -> Bool {
        let normalized = path.hasSuffix("/") ? String(path.dropLast()) : path
        return normalized.isEmpty || indexByPath[normalized] != nil || directories.contains(normalized)
    }

    /// Every YAML document of every file, in path order.
    public var documents: [ManifestDocument] {
        files.flatMap(\.documents)
    }
}
