import Foundation

/// Finds the repository a command works on.
public enum RepoLocator {
    /// `explicit` when given; otherwise the enclosing git work tree of the current directory,
    /// or the current directory itself.
    public static func root(explicit: String?) -> String {
        if let explicit {
            return URL(fileURLWithPath: explicit).standardizedFileURL.path
        }
        let current = FileManager.default.currentDirectoryPath
        var url = URL(fileURLWithPath: current).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url.path }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return current }
            url = parent
        }
    }
}
