import Foundation

extension RepoLocator {
    /// The git work tree enclosing `directory` (the current directory when nil), or that
    /// directory itself when it is in no work tree.
    public static func enclosingRoot(of directory: String?) -> String {
        let start = directory ?? FileManager.default.currentDirectoryPath
        var url = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url.path }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return URL(fileURLWithPath: start).standardizedFileURL.path }
            url = parent
        }
    }
}
