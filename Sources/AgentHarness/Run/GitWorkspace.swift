import Foundation
import HomeportCore

/// The branch `ai/TASK-RUN` checked out in its own worktree outside the repository, so a
/// run never touches the user's checkout or `main`.
struct GitWorkspace {
    let repoRoot: String
    let branch: String
    let path: String
    let baseCommit: String

    static func create(repoRoot: String, branch: String) throws -> GitWorkspace {
        let base = try git(["rev-parse", "HEAD"], in: repoRoot).trimmingCharacters(in: .whitespacesAndNewlines)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-ai-\(UUID().uuidString)").path
        _ = try git(["worktree", "add", "-q", "-b", branch, path, base], in: repoRoot)
        return GitWorkspace(repoRoot: repoRoot, branch: branch, path: path, baseCommit: base)
    }

    /// Stages everything and returns the diff against the base and the changed paths.
    func stagedDiff() throws -> (patch: String, paths: [String]) {
        _ = try Self.git(["add", "-A"], in: path)
        let patch = try Self.git(["diff", "--cached", "--no-color", baseCommit], in: path)
        let names = try Self.git(["diff", "--cached", "--name-only", baseCommit], in: path)
        return (patch, names.split(separator: "\n").map(String.init))
    }

    func commit(message: String) throws {
        _ = try Self.git(["-c", "user.name=homeport ai", "-c", "user.email=ai@homeport.invalid", "commit", "-q", "-m", message], in: path)
    }

    /// Removes the worktree; without `keepBranch` the branch goes too.
    func remove(keepBranch: Bool) {
        _ = try? Self.git(["worktree", "remove", "--force", path], in: repoRoot)
        if !keepBranch { _ = try? Self.git(["branch", "-D", branch], in: repoRoot) }
    }

    @discardableResult
    static func git(_ arguments: [String], in directory: String) throws -> String {
        let result = try ProcessRunner().runBlocking(ProcessInvocation("git", ["-C", directory] + arguments))
        guard result.succeeded else {
            throw HomeportError("git \(arguments.joined(separator: " ")) failed: \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result.output
    }
}
