import Foundation
import HomeportCore

/// Another revision of the repository, checked out (detached) into a private temporary folder
/// for as long as a body runs, then removed: `flux diff` renders the tree there.
public enum RevisionCheckout {
    public static func with<Result>(_ revision: String, in root: String, _ body: (String) throws -> Result) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-flux-diff-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkout = folder + "/base"
        let added = try ProcessRunner().runBlocking(ProcessInvocation(
            "git", ["-C", root, "worktree", "add", "--detach", checkout, revision], output: .discard))
        guard added.succeeded else {
            throw HomeportError.usage("cannot check out '\(revision)': \(added.error.trimmingCharacters(in: .whitespacesAndNewlines)); is it a revision of this repository?")
        }
        defer {
            _ = try? ProcessRunner().runBlocking(ProcessInvocation(
                "git", ["-C", root, "worktree", "remove", "--force", checkout], output: .discard, error: .discard))
        }
        return try body(checkout)
    }
}
