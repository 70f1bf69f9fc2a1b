import Contract
import Foundation
import Testing
@testable import AgentHarness

/// The guard as Claude Code calls it: exit 0 allows, exit 2 blocks with `rule: reason` on
/// stderr. Every row is a full PreToolUse payload.
@Suite struct ClaudeGuardTests {
    static var root: String { GuardFixture.root }

    static let fileCases: [GuardCase] = {
        let r = GuardFixture.root
        let age = GuardFixture.ageIdentity
        return [
            GuardCase(name: "new app manifest", payload: Claude.write("cluster/kubernetes/apps/new/deploy.yaml"), expectation: .allow),
            GuardCase(name: "cluster definition", payload: Claude.write("config/clusters/prox.yaml"), expectation: .allow),
            GuardCase(name: "infrastructure script", payload: Claude.write("infrastructure/proxmox/vm.sh", "#!/bin/sh\necho vm\n"), expectation: .allow),
            GuardCase(name: "relative path from the root", payload: Claude.write("cluster/kubernetes/apps/demo/svc.yaml", cwd: r), expectation: .allow),
            GuardCase(name: "docs file", payload: Claude.write("docs/x.md"), expectation: .deny("ai.docs-read-only", "docs/x.md")),
            GuardCase(name: "the contract itself", payload: Claude.write("docs/repo-contract.md"), expectation: .deny("ai.docs-read-only", "only humans")),
            GuardCase(name: "root file AGENTS.md", payload: Claude.write("AGENTS.md"), expectation: .deny("ai.writable-layers", "AGENTS.md")),
            GuardCase(name: "ai task specs", payload: Claude.write("ai/tasks.md"), expectation: .deny("ai.writable-layers", "ai/tasks.md")),
            GuardCase(name: "scripts", payload: Claude.write("scripts/x.sh"), expectation: .deny("ai.writable-layers", "scripts/x.sh")),
            GuardCase(name: "talos patches", payload: Claude.write("cluster/talos/patch.yaml"), expectation: .deny("ai.writable-layers", "cluster/talos/patch.yaml")),
            GuardCase(name: "new top-level directory", payload: Claude.write("newtop/file.yaml"), expectation: .deny("layout.top-level", "newtop/")),
            GuardCase(name: "new hidden top-level directory", payload: Claude.write(".vscode/settings.json"), expectation: .deny("layout.top-level", ".vscode/")),
            GuardCase(name: "the hook settings (amended, but not agent-writable)", payload: Claude.write(".claude/settings.json"), expectation: .deny("ai.writable-layers", ".claude/settings.json")),
            GuardCase(name: "the pull-request workflow", payload: Claude.write(".github/workflows/pr-gate.yml"), expectation: .deny("ai.writable-layers", ".github/workflows/pr-gate.yml")),
            GuardCase(name: "the codex hooks", payload: Claude.edit(".codex/hooks.json", "guard", "true"), expectation: .deny("ai.writable-layers", ".codex/hooks.json")),
            GuardCase(name: "absolute path outside", payload: Claude.write("/etc/passwd"), expectation: .deny("ai.outside-repo", "/etc/passwd")),
            GuardCase(name: "dot-dot above the root", payload: Claude.write(r + "/cluster/kubernetes/../../../outside.txt"), expectation: .deny("ai.outside-repo", "outside the repository")),
            GuardCase(name: "dot-dot from a layer into docs", payload: Claude.write(r + "/cluster/kubernetes/../../docs/x.md"), expectation: .deny("ai.docs-read-only", "(= docs/x.md)")),
            GuardCase(name: "relative dot-dot from config", payload: Claude.write("../docs/x.md", cwd: r + "/config"), expectation: .deny("ai.docs-read-only", "docs/x.md")),
            GuardCase(name: "symlinked folder to docs", payload: Claude.write("cluster/kubernetes/escape/x.md"), expectation: .deny("ai.docs-read-only", "(= docs/x.md)")),
            GuardCase(name: "symlinked file to a root file", payload: Claude.write("config/link.yaml"), expectation: .deny("ai.writable-layers", "README.md")),
            GuardCase(name: "dangling symlink into ai", payload: Claude.write("cluster/kubernetes/apps/dangling.yaml"), expectation: .deny("ai.writable-layers", "ai/new.md")),
            GuardCase(name: "symlink leaving the repository", payload: Claude.write("config/outside/passwd"), expectation: .deny("ai.outside-repo", "/etc/passwd")),
            GuardCase(name: "home directory", payload: Claude.write("~/notes.txt"), expectation: .deny("ai.outside-repo", "notes.txt")),
            GuardCase(name: "git internals", payload: Claude.write(".git/hooks/pre-commit"), expectation: .deny("ai.writable-layers", "git's own data")),
            GuardCase(name: "a layer root as a file", payload: Claude.write("config"), expectation: .deny("ai.writable-layers", "config")),
            GuardCase(name: "talos secrets folder", payload: Claude.write(".talos/prox/secrets.yaml"), expectation: .deny("ai.secret-material", ".talos")),
            GuardCase(name: "kubeconfig in a layer", payload: Claude.write("config/kubeconfig"), expectation: .deny("ai.secret-material", "kubeconfig")),
            GuardCase(name: "age identity in a cluster definition", payload: Claude.write("config/clusters/x.yaml", "key: \(age)\n"), expectation: .secret),
            GuardCase(name: "private key block in infrastructure", payload: Claude.write("infrastructure/proxmox/key.pem", GuardFixture.privateKeyBlock), expectation: .secret),
            GuardCase(name: "edit adding an age identity", payload: Claude.edit("config/clusters/prox.yaml", "memoryMiB: 4096", "memoryMiB: 4096\n    key: \(age)"), expectation: .secret),
            GuardCase(name: "plain edit", payload: Claude.edit("config/clusters/prox.yaml", "memoryMiB: 4096", "memoryMiB: 8192"), expectation: .allow),
            GuardCase(name: "multi-edit whose second edit adds a key",
                      payload: Claude.call("MultiEdit", ["file_path": r + "/config/clusters/prox.yaml", "edits": [
                          ["old_string": "4096", "new_string": "8192"], ["old_string": "cp-1", "new_string": "cp-1\n" + GuardFixture.privateKeyBlock],
                      ]]), expectation: .secret),
            GuardCase(name: "multi-edit in docs",
                      payload: Claude.call("MultiEdit", ["file_path": r + "/docs/architecture.md", "edits": [["old_string": "a", "new_string": "b"]]]),
                      expectation: .deny("ai.docs-read-only", "docs/architecture.md")),
            GuardCase(name: "notebook in ai", payload: Claude.call("NotebookEdit", ["notebook_path": r + "/ai/n.ipynb", "new_source": "x"]), expectation: .deny("ai.writable-layers", "ai/n.ipynb")),
            GuardCase(name: "read a manifest", payload: Claude.call("Read", ["file_path": r + "/config/clusters/prox.yaml"]), expectation: .allow),
            GuardCase(name: "read talos secrets", payload: Claude.call("Read", ["file_path": r + "/.talos/prox/secrets.yaml"]), expectation: .deny("ai.secret-material", ".talos")),
            GuardCase(name: "read age keys", payload: Claude.call("Read", ["file_path": "~/.config/sops/age/keys.txt"]), expectation: .deny("ai.secret-material", "keys.txt")),
            GuardCase(name: "grep tool", payload: Claude.call("Grep", ["pattern": "image"]), expectation: .allow),
            GuardCase(name: "homeport MCP tool", payload: Claude.call("mcp__homeport__check", ["paths": ["config"]]), expectation: .allow),
            GuardCase(name: "another MCP server's tool", payload: Claude.call("mcp__k8s__resources_create_or_update", ["manifest": "x"]), expectation: .deny("ai.unsupported-tool", "mcp__k8s__resources_create_or_update")),
            GuardCase(name: "unknown tool", payload: Claude.call("Teleport", ["to": "/"]), expectation: .deny("ai.unsupported-tool", "Teleport")),
        ]
    }()

    static let malformedCases: [GuardCase] = [
        GuardCase(name: "not JSON", payload: "{tool_name: Write", expectation: .deny("ai.malformed-input", "not valid JSON")),
        GuardCase(name: "empty input", payload: "", expectation: .deny("ai.malformed-input", "not valid JSON")),
        GuardCase(name: "a JSON array", payload: "[1,2]", expectation: .deny("ai.malformed-input", "not a JSON object")),
        GuardCase(name: "no tool_input", payload: GuardFixture.json(["hook_event_name": "PreToolUse", "tool_name": "Write"]), expectation: .deny("ai.malformed-input", "tool_input")),
        GuardCase(name: "Write without content", payload: Claude.call("Write", ["file_path": "/x"]), expectation: .deny("ai.malformed-input", "content")),
        GuardCase(name: "content of the wrong type", payload: Claude.call("Write", ["file_path": "/x", "content": 3]), expectation: .deny("ai.malformed-input", "content")),
        GuardCase(name: "PostToolUse event", payload: GuardFixture.json(["hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": ["command": "ls"]]), expectation: .deny("ai.malformed-input", "PostToolUse")),
        GuardCase(name: "empty command", payload: Claude.bash("   "), expectation: .deny("ai.malformed-input", "empty command")),
    ]

    static let shellCases: [GuardCase] = ShellTable.rows.map { GuardCase(name: "Bash: \($0.0)", payload: Claude.bash($0.1), expectation: $0.2) }

    @Test(arguments: fileCases + malformedCases + shellCases)
    func decides(_ row: GuardCase) throws {
        let outcome = HookGuard(client: .claude, repoRoot: Self.root).run(input: Data(row.payload.utf8))
        try Self.expect(outcome, row.expectation)
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test func tableIsLargeEnough() {
        #expect((Self.fileCases + Self.malformedCases + Self.shellCases).count >= 40)
    }

    static func expect(_ outcome: HookOutcome, _ expectation: GuardExpectation, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!outcome.standardError.contains(GuardFixture.ageIdentity), sourceLocation: sourceLocation)
        #expect(!outcome.standardError.contains(GuardFixture.privateKeyBody), sourceLocation: sourceLocation)
        switch expectation {
        case .allow:
            #expect(outcome.exitCode == 0, "denied: \(outcome.decision.message)", sourceLocation: sourceLocation)
            #expect(outcome.decision.isAllowed, sourceLocation: sourceLocation)
        case .deny(let rule, let fragment):
            #expect(outcome.exitCode == 2, sourceLocation: sourceLocation)
            #expect(outcome.decision.ruleID == rule, "got \(outcome.decision.message)", sourceLocation: sourceLocation)
            #expect(outcome.decision.reason.contains(fragment), "reason: \(outcome.decision.reason)", sourceLocation: sourceLocation)
            #expect(outcome.standardError.hasPrefix("homeport guard denied: \(rule): "), sourceLocation: sourceLocation)
        case .secret:
            #expect(outcome.exitCode == 2, sourceLocation: sourceLocation)
            let rule = outcome.decision.ruleID ?? ""
            #expect(rule == GuardRule.plaintextSecret || AgentPolicy.isSecretRule(rule), "got \(outcome.decision.message)", sourceLocation: sourceLocation)
            #expect(outcome.decision.reason.contains("line"), sourceLocation: sourceLocation)
        }
    }
}
