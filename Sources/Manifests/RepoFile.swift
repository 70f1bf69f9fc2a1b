/// What could be read of a file.
public enum FileContent: Sendable {
    /// UTF-8 text.
    case text(String)
    /// Contains NUL bytes: not text.
    case binary
    /// Not valid UTF-8.
    case notUTF8
    /// Larger than the scanner reads (size in bytes).
    case tooLarge(Int)
    /// Could not be read at all (permissions, a symlink loop, …).
    case unreadable(String)
}

/// One file of the repository as the snapshot saw it.
public struct RepoFile: Sendable {
    /// Path relative to the repository root, `/`-separated.
    public var path: String
    public var size: Int
    public var isExecutable: Bool
    public var content: FileContent
    /// The parsed documents, for files with a YAML extension that are readable text.
    public var yaml: YAMLStream?

    public init(path: String, size: Int, isExecutable: Bool = false, content: FileContent, yaml: YAMLStream? = nil) {
        self.path = path
        self.size = size
        self.isExecutable = isExecutable
        self.content = content
        self.yaml = yaml
    }

    /// The text, when the file is readable UTF-8.
    public var text: String? {
        if case .text(let text) = content { return text }
        return nil
    }

    /// The file name, e.g. `kustomization.yaml`.
    public var name: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The folder holding the file, relative to the root (empty at the root).
    public var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// The extension in lower case, without the dot.
    public var fileExtension: String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// True for `.yaml` and `.yml` files.
    public var isYAML: Bool {
        fileExtension == "yaml" || fileExtension == "yml"
    }

    /// The documents as ``ManifestDocument`` values.
    public var documents: [ManifestDocument] {
        (yaml?.documents ?? []).enumerated().map { ManifestDocument(path: path, index: $0.offset, root: $0.element) }
    }

    /// True when the file is under `folder` (a repo-relative directory path).
    public func isInside(_ folder: String) -> Bool {
        folder.isEmpty || path.hasPrefix(folder + "/")
    }
}

extension RepoFile {
    /// Splits text into lines (without terminators), 1-based through `lines[n - 1]`.
    public var lines: [Substring] {
        guard let text else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.last == "\r" ? $0.dropLast() : $0
        }
    }
}
