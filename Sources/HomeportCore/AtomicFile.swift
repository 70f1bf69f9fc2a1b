import Foundation

/// Writes files so that a crash never leaves a half-written file: the data goes to a
/// temporary file in the same folder, which is then renamed over the target.
public enum AtomicFile {
    /// Writes `data` to `url` atomically. With `permissions`, the file gets that mode before it
    /// becomes visible (0o600 for anything sensitive).
    public static func write(_ data: Data, to url: URL, permissions: Int? = nil) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        var attributes: [FileAttributeKey: Any]? = nil
        if let permissions { attributes = [.posixPermissions: permissions] }
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: attributes) else {
            throw HomeportError("cannot create a temporary file in \(folder.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                throw HomeportError("cannot move the new \(url.lastPathComponent) into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes `text` as UTF-8 atomically.
    public static func write(_ text: String, to url: URL, permissions: Int? = nil) throws {
        try write(Data(text.utf8), to: url, permissions: permissions)
    }
}
