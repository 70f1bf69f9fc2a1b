import Foundation

/// Turns a path an agent names (relative to its working directory, absolute, with `~`, `..`
/// or symbolic links) into the one real place it would touch, and relates that to the
/// repository root.
struct PathResolver: Sendable {
    /// The repository root with its own symbolic links resolved.
    let root: String
    let home: String

    init(root: String, home: String = ProcessInfo.processInfo.environment["HOME"] ?? "/root") {
        self.root = Self.resolveSymlinks(Self.normalize(root)) ?? Self.normalize(root)
        self.home = home
    }

    /// Where a path really leads: absolute, normalised, every symbolic link on the way
    /// followed (also a dangling last link). Nil when links loop.
    func resolve(_ path: String, from directory: String) -> String? {
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/") { expanded = home + expanded.dropFirst() }
        let absolute = expanded.hasPrefix("/") ? expanded : directory + "/" + expanded
        return Self.resolveSymlinks(Self.normalize(absolute))
    }

    /// The path relative to the root, or nil when it lies outside the repository.
    func relative(_ absolute: String) -> String? {
        if absolute == root { return "" }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard absolute.hasPrefix(prefix) else { return nil }
        return String(absolute.dropFirst(prefix.count))
    }

    /// Removes `.`, `..` and repeated slashes without touching the disk.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Follows symbolic links component by component, so a link anywhere on the path (or a
    /// link that does not lead anywhere yet) is seen. At most 40 links, like the kernel.
    static func resolveSymlinks(_ absolute: String) -> String? {
        var pending = absolute.split(separator: "/").map(String.init)
        var resolved = ""
        var hops = 0
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                resolved = resolved.split(separator: "/").dropLast().map { "/" + $0 }.joined()
                continue
            }
            let candidate = resolved + "/" + component
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                // Nothing exists here, so nothing further down can be a link.
                resolved = candidate
                resolved += pending.isEmpty ? "" : "/" + pending.joined(separator: "/")
                return normalize(resolved)
            }
            if info.st_mode & S_IFMT == S_IFLNK {
                hops += 1
                if hops > 40 { return nil }
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = readlink(candidate, &buffer, buffer.count - 1)
                guard count >= 0 else { return nil }
                let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let targetParts = target.split(separator: "/").map(String.init)
                if target.hasPrefix("/") { resolved = "" }
                pending = targetParts + pending
                continue
            }
            resolved = candidate
        }
        return resolved.isEmpty ? "/" : resolved
    }
}
