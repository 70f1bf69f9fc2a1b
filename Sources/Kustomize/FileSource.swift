import Foundation
import Manifests

/// Where kustomize reads files from: the disk or a repository snapshot. Paths are
/// `/`-separated; the snapshot source uses repo-relative paths.
public protocol KustomizeFileSource: Sendable {
    /// The text of a file, nil when it does not exist or is not a file.
    func text(_ path: String) -> String?
    /// The raw bytes of a file (for generators reading binary files).
    func data(_ path: String) -> [UInt8]?
    /// The parsed YAML documents of a file.
    func yaml(_ path: String) -> YAMLStream?
    func isDirectory(_ path: String) -> Bool
    func isFile(_ path: String) -> Bool
    /// Names of the files directly in a directory, sorted.
    func fileNames(in directory: String) -> [String]
    /// Names of the subdirectories of a directory, sorted.
    func directoryNames(in directory: String) -> [String]
}

/// Reads files from a ``RepoSnapshot``: no disk access, YAML parsed once by the scanner.
public struct SnapshotFileSource: KustomizeFileSource {
    public let snapshot: RepoSnapshot

    public init(snapshot: RepoSnapshot) {
        self.snapshot = snapshot
    }

    public func text(_ path: String) -> String? { snapshot.file(path)?.text }

    public func data(_ path: String) -> [UInt8]? {
        guard let file = snapshot.file(path) else { return nil }
        if let text = file.text { return Array(text.utf8) }
        return nil
    }

    public func yaml(_ path: String) -> YAMLStream? {
        guard let file = snapshot.file(path) else { return nil }
        if let yaml = file.yaml { return yaml }
        return file.text.map(YAMLParser.parse)
    }

    public func isDirectory(_ path: String) -> Bool {
        path.isEmpty || snapshot.directories.contains(path)
    }

    public func isFile(_ path: String) -> Bool { snapshot.file(path) != nil }

    public func fileNames(in directory: String) -> [String] {
        snapshot.filesDirectly(in: directory).map(\.name)
    }

    public func directoryNames(in directory: String) -> [String] {
        snapshot.subdirectories(of: directory)
    }
}

/// Reads files from the disk (for `homeport kustomize build DIR`).
public final class DiskFileSource: KustomizeFileSource, @unchecked Sendable {
    private let lock = NSLock()
    private var parsed: [String: YAMLStream] = [:]

    public init() {}

    public func text(_ path: String) -> String? {
        guard isFile(path), let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    public func data(_ path: String) -> [UInt8]? {
        guard isFile(path), let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data)
    }

    public func yaml(_ path: String) -> YAMLStream? {
        lock.lock()
        if let cached = parsed[path] { lock.unlock(); return cached }
        lock.unlock()
        guard let text = text(path) else { return nil }
        let stream = YAMLParser.parse(text)
        lock.lock()
        parsed[path] = stream
        lock.unlock()
        return stream
    }

    public func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    public func fileNames(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { isFile(KustomizePath.join(directory, $0)) }.sorted()
    }

    public func directoryNames(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { isDirectory(KustomizePath.join(directory, $0)) }.sorted()
    }
}

/// Path arithmetic on `/`-separated paths (relative to a repo root, or absolute).
public enum KustomizePath {
    /// `base` joined with `relative`, with `.` and `..` resolved. An absolute `relative` wins.
    public static func join(_ base: String, _ relative: String) -> String {
        if relative.hasPrefix("/") { return normalize(relative) }
        if base.isEmpty { return normalize(relative) }
        return normalize(base + "/" + relative)
    }

    /// Resolves `.`, `..` and repeated slashes. A relative path that climbs above its start
    /// keeps the leading `..` parts.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", absolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    /// The folder of a file path.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component.
    public static func base(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
