import Foundation

extension RepoScanner {
    /// What reading through a symbolic link gives.
    enum LinkTarget {
        /// A regular file inside the repository: its resolved path (read that, not the link,
        /// so a link swapped after the check still cannot lead out) and its `stat`.
        case file(String, stat)
        /// Not followed, and why (the reason names what was not checked).
        case notFollowed(String)
    }

    /// Follows a symbolic link only to a regular file inside the repository. A link out of the
    /// repository is never read: a pull request could otherwise make the checker print files of
    /// the machine it runs on. Links to folders are not followed either, since that is how
    /// loops start; their targets inside the repository are read where they are.
    static func followLink(_ path: String, fullPath: String, realRoot: String) -> LinkTarget {
        let written = (try? FileManager.default.destinationOfSymbolicLink(atPath: fullPath)) ?? "?"
        guard let resolved = realPath(fullPath) else {
            if errno == ELOOP {
                return .notFollowed("a symbolic link loop (\(path) → \(written) leads back to itself); not read, so no rule checked it")
            }
            return .notFollowed("a dangling symbolic link (its target \(written) does not exist); nothing was read, so no rule checked it")
        }
        guard resolved == realRoot || resolved.hasPrefix(realRoot + "/") else {
            return .notFollowed("a symbolic link to \(written), outside the repository; it was not followed and nothing behind it was checked")
        }
        var target = stat()
        guard stat(fullPath, &target) == 0 else {
            return .notFollowed("a symbolic link whose target cannot be read (\(String(cString: strerror(errno)))); not checked")
        }
        let relativeTarget = resolved == realRoot ? "." : String(resolved.dropFirst(realRoot.count + 1))
        switch target.st_mode & S_IFMT {
        case S_IFREG:
            return .file(resolved, target)
        case S_IFDIR:
            let linkFolder = path.split(separator: "/").dropLast().joined(separator: "/")
            if relativeTarget == "." || linkFolder == relativeTarget || linkFolder.hasPrefix(relativeTarget + "/") {
                return .notFollowed("a symbolic link loop (it points at \(relativeTarget), a folder that contains it); not followed")
            }
            return .notFollowed("a symbolic link to the folder \(relativeTarget); not followed here (the files there are checked in \(relativeTarget))")
        default:
            return .notFollowed("a symbolic link to something that is neither a file nor a folder; not read")
        }
    }
}
