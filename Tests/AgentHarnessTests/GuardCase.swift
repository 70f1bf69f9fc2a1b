import Contract
import Foundation
import Testing
@testable import AgentHarness

/// What a guard test expects.
enum GuardExpectation: Sendable, CustomStringConvertible {
    case allow
    /// Denied by this rule, with this fragment in the reason.
    case deny(String, String)
    /// Denied by a secret rule: the built-in screen or a registered `secrets.*` rule.
    case secret

    var description: String {
        switch self {
        case .allow: "allow"
        case .deny(let rule, _): "deny \(rule)"
        case .secret: "deny secret"
        }
    }
}

/// One row of a guard table: a hook payload (JSON text) and the expected answer.
struct GuardCase: Sendable, CustomTestStringConvertible {
    var name: String
    var payload: String
    var expectation: GuardExpectation
    var testDescription: String { "\(name) → \(expectation)" }
}

/// Builders for Claude Code payloads (paths are absolute, as Claude Code sends them).
enum Claude {
    static var root: String { GuardFixture.root }

    static func call(_ tool: String, _ input: [String: Any], cwd: String? = nil) -> String {
        GuardFixture.json([
            "session_id": "s-1", "transcript_path": "/tmp/t.jsonl", "cwd": cwd ?? root, "permission_mode": "default",
            "hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": input, "tool_use_id": "toolu_1",
        ])
    }

    static func write(_ path: String, _ content: String = "a: 1\n", cwd: String? = nil) -> String {
        call("Write", ["file_path": path.hasPrefix("/") || path.hasPrefix("~") || cwd != nil ? path : root + "/" + path, "content": content], cwd: cwd)
    }

    static func edit(_ path: String, _ old: String, _ new: String) -> String {
        call("Edit", ["file_path": root + "/" + path, "old_string": old, "new_string": new])
    }

    static func bash(_ command: String, cwd: String? = nil) -> String {
        call("Bash", ["command": command, "description": "run"], cwd: cwd)
    }
}

/// Builders for Cursor payloads.
enum Cursor {
    static func event(_ name: String, _ fields: [String: Any]) -> String {
        var object: [String: Any] = [
            "hook_event_name": name, "conversation_id": "c-1", "generation_id": "g-1", "model": "claude-sonnet-4",
            "cursor_version": "2.0.77", "user_email": "dev@example.com", "transcript_path": "/tmp/cursor-transcript.jsonl",
            "workspace_roots": [GuardFixture.root],
        ]
        object.merge(fields) { $1 }
        return GuardFixture.json(object)
    }

    static func shell(_ command: String, cwd: String? = nil) -> String {
        event("beforeShellExecution", ["command": command, "cwd": cwd ?? GuardFixture.root])
    }

    /// A generic `preToolUse` call.
    static func tool(_ name: String, _ input: [String: Any]) -> String {
        event("preToolUse", ["tool_name": name, "tool_input": input, "tool_use_id": "tu-1", "cwd": GuardFixture.root])
    }
}

/// Shell command lines and their expected decisions, shared by the Claude and Cursor tables
/// (both clients send shell commands; only the envelope differs).
enum ShellTable {
    static var rows: [(String, String, GuardExpectation)] {
        let root = GuardFixture.root
        return [
            ("git status", "git status", .allow),
            ("git diff of a layer", "git diff HEAD~1 -- cluster/", .allow),
            ("git log with options", "git --no-pager log --oneline -5", .allow),
            ("list and read in a list", "ls -la cluster/kubernetes && cat config/clusters/prox.yaml | head -5", .allow),
            ("search then count", "rg -n image cluster/kubernetes; wc -l README.md", .allow),
            ("swift run homeport check", "swift run homeport check --format json", .allow),
            ("homeport check", "homeport check --changed-from HEAD", .allow),
            ("output to /dev/null", "ls > /dev/null 2>&1", .allow),
            ("kubectl get pods", "kubectl get pods -n demo", .allow),
            ("touch inside a layer", "touch cluster/kubernetes/apps/demo/new.yaml", .allow),
            ("mkdir then touch in a new app", "mkdir -p cluster/kubernetes/apps/new && touch cluster/kubernetes/apps/new/kustomization.yaml", .allow),
            ("heredoc into a layer", "cat > config/clusters/note.yaml <<EOF\nname: x\nEOF", .allow),
            ("kubectl apply", "kubectl apply -f x.yaml", .deny("ai.forbidden-command", "kubectl apply")),
            ("kubectl delete after global flags", "kubectl --context prod -n demo delete pod x", .deny("ai.forbidden-command", "kubectl delete")),
            ("kubectl patch in a pipeline", "cat p.json | kubectl patch deploy x --patch-file /dev/stdin", .deny("ai.forbidden-command", "kubectl patch")),
            ("helm upgrade", "helm upgrade --install x ./chart", .deny("ai.forbidden-command", "helm upgrade")),
            ("talosctl apply-config", "talosctl -n 10.0.0.1 apply-config -f c.yaml", .deny("ai.forbidden-command", "talosctl apply-config")),
            ("talosctl reset", "talosctl reset --graceful=false", .deny("ai.forbidden-command", "talosctl reset")),
            ("sops decrypt to a file", "sops -d config/x.sops.yaml > config/plain.yaml", .deny("ai.forbidden-command", "sops")),
            ("homeport secrets decrypt", "homeport secrets decrypt config/x.sops.yaml", .deny("ai.forbidden-command", "secrets decrypt")),
            ("git push --force", "git push --force origin feature", .deny("ai.forbidden-command", "force")),
            ("bash -c", "bash -c \"echo hi\"", .deny("ai.uninspectable-command", "bash -c")),
            ("sh -c", "sh -c 'rm -rf /'", .deny("ai.uninspectable-command", "sh -c")),
            ("python -c", "python3 -c 'open(\"docs/x\",\"w\")'", .deny("ai.uninspectable-command", "python3 -c")),
            ("eval", "eval \"ls\"", .deny("ai.uninspectable-command", "eval")),
            ("command substitution", "echo $(cat /etc/passwd)", .deny("ai.uninspectable-command", "$(…)")),
            ("backticks", "echo `id`", .deny("ai.uninspectable-command", "backtick")),
            ("find -exec", "find . -name '*.yaml' -exec rm {} \\;", .deny("ai.uninspectable-command", "find -exec")),
            ("perl -i", "perl -pi -e 's/a/b/' config/clusters/prox.yaml", .deny("ai.uninspectable-command", "perl -pi")),
            ("git apply", "git apply fix.patch", .deny("ai.uninspectable-command", "git apply")),
            ("dd", "dd if=/dev/zero of=config/x bs=1 count=1", .deny("ai.uninspectable-command", "dd")),
            ("xargs", "ls | xargs rm", .deny("ai.uninspectable-command", "xargs")),
            ("awk can write", "awk '{print > \"docs/x\"}' README.md", .deny("ai.uninspectable-command", "awk")),
            ("sed w command", "sed -n 's/a/b/w docs/out' README.md", .deny("ai.uninspectable-command", "sed")),
            ("subshell", "(cd docs; ls)", .deny("ai.uninspectable-command", "subshells")),
            ("process substitution", "diff <(ls) <(ls docs)", .deny("ai.uninspectable-command", "process substitution")),
            ("unterminated quote", "echo 'oops", .deny("ai.uninspectable-command", "unterminated")),
            ("environment assignment", "GIT_PAGER=evil git log", .deny("ai.uninspectable-command", "GIT_PAGER")),
            ("variable as write target", "echo hi > $TARGET", .deny("ai.uninspectable-command", "$TARGET")),
            ("glob as write target", "echo hi > cluster/kubernetes/*.yaml", .deny("ai.uninspectable-command", "pattern")),
            ("program by path", "./scripts/run.sh", .deny("ai.uninspectable-command", "by path")),
            ("redirect into docs", "echo hi > docs/notes.md", .deny("ai.docs-read-only", "docs/notes.md")),
            ("append to AGENTS.md", "echo hi >> AGENTS.md", .deny("ai.writable-layers", "AGENTS.md")),
            ("tee into scripts", "cat README.md | tee scripts/x.sh", .deny("ai.writable-layers", "scripts/x.sh")),
            ("sed -i on the contract", "sed -i 's/law/suggestion/' docs/repo-contract.md", .deny("ai.docs-read-only", "docs/repo-contract.md")),
            ("cp into docs", "cp config/clusters/prox.yaml docs/", .deny("ai.docs-read-only", "docs")),
            ("mv an app into ai/", "mv cluster/kubernetes/apps/demo ai/demo", .deny("ai.writable-layers", "ai/demo")),
            ("rm talos patches", "rm -rf cluster/talos", .deny("ai.writable-layers", "cluster/talos")),
            ("rm a whole layer", "rm -rf config", .deny("ai.writable-layers", "config")),
            ("mkdir a new top-level directory", "mkdir -p newtop/sub", .deny("layout.top-level", "newtop/")),
            ("cd then write in docs", "cd docs && echo x > notes.md", .deny("ai.docs-read-only", "docs/notes.md")),
            ("dot-dot out of a layer", "touch cluster/kubernetes/../../docs/x.md", .deny("ai.docs-read-only", "docs/x.md")),
            ("write outside the repository", "echo x > /etc/motd", .deny("ai.outside-repo", "/etc/motd")),
            ("write through a symlink", "echo x > cluster/kubernetes/escape/x.md", .deny("ai.docs-read-only", "docs/x.md")),
            ("age identity echoed into a layer", "echo \(GuardFixture.ageIdentity) > config/key.yaml", .secret),
            ("private key in a heredoc", "cat > cluster/kubernetes/apps/demo/key.yaml <<EOF\n\(GuardFixture.privateKeyBlock)EOF", .secret),
            ("age identity piped to tee", "echo \(GuardFixture.ageIdentity) | tee infrastructure/proxmox/id.txt", .secret),
            ("read the age keys", "cat ~/.config/sops/age/keys.txt", .deny("ai.secret-material", "keys.txt")),
            ("read .talos", "cat .talos/prox/secrets.yaml", .deny("ai.secret-material", ".talos")),
            ("read kubernetes secrets", "kubectl get secrets -A -o yaml", .deny("ai.secret-material", "Secrets")),
            ("git commit", "git commit -m x", .deny("ai.command-not-allowed", "git commit")),
            ("chmod", "chmod +x scripts/run.sh", .deny("ai.command-not-allowed", "chmod")),
            ("ln", "ln -s /etc config/etc", .deny("ai.command-not-allowed", "ln")),
            ("sort -o", "sort -o docs/x README.md", .deny("ai.command-not-allowed", "sort -o")),
            ("curl", "curl -o config/x http://example.invalid/x", .deny("ai.uninspectable-command", "curl")),
            ("rm after --", "rm -- -rf", .deny("ai.writable-layers", "-rf")),
            ("stderr into docs", "ls 2> docs/err.txt", .deny("ai.docs-read-only", "docs/err.txt")),
            ("pipe into a shell", "echo ls | sh", .deny("ai.uninspectable-command", "`sh`")),
            ("exec redirect", "exec > docs/x.md", .deny("ai.docs-read-only", "docs/x.md")),
            ("git checkout restores files", "git checkout -- docs/architecture.md", .deny("ai.command-not-allowed", "git checkout")),
            ("quoted heredoc into docs", "cat <<'EOF' > docs/x.md\nhello\nEOF", .deny("ai.docs-read-only", "docs/x.md")),
            ("git diff into a layer", "git diff > config/changes.patch", .allow),
            ("absolute cwd inside docs", "touch x.md", .deny("ai.docs-read-only", "docs/x.md")),
        ].map { name, command, expectation in
            // The last row runs from docs/ to check relative resolution.
            (name, name == "absolute cwd inside docs" ? "cd \(root)/docs && \(command)" : command, expectation)
        }
    }
}

/// Builders for Codex PreToolUse payloads: every documented field (`session_id`, `turn_id`,
/// `transcript_path`, `cwd`, `hook_event_name`, `model`, `permission_mode`, `tool_name`,
/// `tool_input`, `tool_use_id`; a subagent adds `agent_id` and `agent_type`).
enum Codex {
    static func call(_ tool: String, _ input: [String: Any], cwd: String? = nil, event: String = "PreToolUse") -> String {
        GuardFixture.json([
            "session_id": "0199a213-81c0-7800-8aa1-bbab2a035a53", "turn_id": "turn-1", "transcript_path": NSNull(),
            "cwd": cwd ?? GuardFixture.root, "hook_event_name": event, "model": "gpt-5-codex", "permission_mode": "default",
            "tool_name": tool, "tool_input": input, "tool_use_id": "call_1", "agent_id": "agent-1", "agent_type": "default",
        ])
    }

    static func bash(_ command: String, cwd: String? = nil) -> String {
        call("Bash", ["command": command], cwd: cwd)
    }

    /// An `apply_patch` call; the patch text is `tool_input.command`.
    static func patch(_ body: String, cwd: String? = nil) -> String {
        call("apply_patch", ["command": "*** Begin Patch\n" + body + "*** End Patch\n"], cwd: cwd)
    }
}
