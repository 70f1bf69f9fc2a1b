/// The shell command line a client runs for the guard hook.
///
/// Clients let a tool call through on any exit status other than 0 and 2, so a hook that cannot
/// start (a relative path run from a subdirectory gives 127, nothing built yet, a missing
/// project variable) would silently allow everything. Every command therefore maps any status
/// but 0 and 2 to 2, with a reason on standard error (Codex ignores an exit 2 without one).
public enum HookCommand {
    /// How the command finds homeport.
    public enum Location: Sendable, Equatable {
        /// The repository's wrapper, found from a shell expression that names the project root.
        case projectWrapper(rootExpression: String)
        /// An absolute path to the homeport binary (user-level hooks, which serve every repository).
        case binary(String)
    }

    /// The project root as each client's hook environment gives it. Claude Code and Cursor
    /// export the project directory; Codex runs hooks in the session's working directory,
    /// which may be a subdirectory, so git names the root.
    public static func projectRoot(for client: String) -> String {
        let gitRoot = "$(git rev-parse --show-toplevel 2>/dev/null)"
        switch client {
        case "claude": return "\"${CLAUDE_PROJECT_DIR:-\(gitRoot)}\""
        case "cursor": return "\"${CURSOR_PROJECT_DIR:-\(gitRoot)}\""
        default: return "\"\(gitRoot)\""
        }
    }

    /// The fail-closed command line for a client.
    public static func guardCommand(client: String, location: Location) -> String {
        let invocation: String
        switch location {
        case .projectWrapper(let root):
            invocation = "\(root)/\(AgentClientConfig.wrapper) guard --client \(client)"
        case .binary(let path):
            invocation = "\(shellQuoted(path)) ai guard --client \(client) --user-level"
        }
        // `hook_status`, not `status`: zsh (Codex runs hooks in $SHELL) makes `status` read-only.
        return invocation + "; hook_status=$?; [ \"$hook_status\" -eq 0 ] && exit 0; [ \"$hook_status\" -eq 2 ] || echo "
            + "\"homeport guard denied: ai.internal-error: the guard hook could not run (exit status $hook_status); "
            + "build homeport (swift build) or run homeport ai init again\" >&2; exit 2"
    }

    static func shellQuoted(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
