import Foundation
import HomeportCore
import Manifests

/// Writes the git pre-commit hook.
public enum GitHooks {
    /// The marker that identifies a hook homeport wrote (and may therefore replace).
    public static let marker = "# installed by homeport hooks install"

    /// The hook script: the installed `homeport` when on PATH, else the package's own build.
    public static func preCommitScript(repoRoot: String) -> String {
        """
        #!/bin/sh
        \(marker)
        # Checks the repository against its contract and reports findings in changed files.
        set -e
        if command -v homeport >/dev/null 2>&1; then
          exec homeport check --changed-from HEAD
        fi
        exec swift run --package-path "$(git rev-parse --show-toplevel)" homeport check --changed-from HEAD

        """
    }

    /// Installs the hook and returns its path. Refuses to replace someone else's hook unless
    /// `force` is set, so a user's own hook is never lost silently.
    @discardableResult
    public static func installPreCommit(repoRoot: String, force: Bool) throws -> String {
        guard let data = GitFileList.run(["rev-parse", "--git-path", "hooks"], in: repoRoot),
              let relative = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !relative.isEmpty else {
            throw HomeportError.usage("\(repoRoot) is not a git repository")
        }
        let hooksFolder = relative.hasPrefix("/") ? relative : repoRoot + "/" + relative
        let hookPath = hooksFolder + "/pre-commit"
        if let existing = FileManager.default.contents(atPath: hookPath),
           let text = String(data: existing, encoding: .utf8), !text.contains(marker), !force {
            throw HomeportError("\(hookPath) exists and was not written by homeport; pass --force to replace it")
        }
        try AtomicFile.write(preCommitScript(repoRoot: repoRoot), to: URL(fileURLWithPath: hookPath), permissions: 0o755)
        return hookPath
    }
}
