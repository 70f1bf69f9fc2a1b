import Foundation
import Testing
import TestSupport
@testable import AgentHarness

/// The guard as Cursor calls it: `{"permission":"allow|deny", …}` on stdout, exit 2 on deny.
@Suite struct CursorGuardTests {
    static let shellCases: [GuardCase] = ShellTable.rows.map { GuardCase(name: "shell: \($0.0)", payload: Cursor.shell($0.1), expectation: $0.2) }

    static let otherCases: [GuardCase] = {
        let r = GuardFixture.root
        return [
            GuardCase(name: "read a manifest", payload: Cursor.event("beforeReadFile", ["file_path": r + "/config/clusters/prox.yaml", "content": "name: prox"]), expectation: .allow),
            GuardCase(name: "read talos secrets", payload: Cursor.event("beforeReadFile", ["file_path": r + "/.talos/prox/secrets.yaml"]), expectation: .deny("ai.secret-material", ".talos")),
            GuardCase(name: "homeport MCP tool", payload: Cursor.event("beforeMCPExecution", ["tool_name": "check", "tool_input": "{}", "command": "scripts/ai_harness.sh mcp"]), expectation: .allow),
            GuardCase(name: "another MCP server", payload: Cursor.event("beforeMCPExecution", ["tool_name": "apply", "tool_input": "{}", "command": "npx k8s-mcp"]), expectation: .deny("ai.unsupported-tool", "apply")),
            GuardCase(name: "after-edit event", payload: Cursor.event("afterFileEdit", ["file_path": r + "/docs/x.md", "edits": []]), expectation: .deny("ai.malformed-input", "afterFileEdit")),
            GuardCase(name: "shell without command", payload: Cursor.event("beforeShellExecution", ["cwd": r]), expectation: .deny("ai.malformed-input", "command")),
            GuardCase(name: "no event name", payload: GuardFixture.json(["command": "ls"]), expectation: .deny("ai.malformed-input", "hook_event_name")),
            GuardCase(name: "not JSON", payload: "permission please", expectation: .deny("ai.malformed-input", "not valid JSON")),
            GuardCase(name: "cwd from workspace_roots", payload: Cursor.event("beforeShellExecution", ["command": "echo x > docs/y.md"]), expectation: .deny("ai.docs-read-only", "docs/y.md")),
            GuardCase(name: "cwd inside config", payload: Cursor.shell("touch ../docs/z.md", cwd: r + "/config"), expectation: .deny("ai.docs-read-only", "docs/z.md")),
            GuardCase(name: "preToolUse write in a layer", payload: Cursor.tool("Write", ["file_path": r + "/config/clusters/new.yaml", "content": "name: new\n"]), expectation: .allow),
            GuardCase(name: "preToolUse write in docs", payload: Cursor.tool("Write", ["file_path": r + "/docs/x.md", "content": "x"]), expectation: .deny("ai.docs-read-only", "docs/x.md")),
            GuardCase(name: "preToolUse write of a secret", payload: Cursor.tool("Write", ["file_path": r + "/config/clusters/k.yaml", "content": "k: \(GuardFixture.ageIdentity)\n"]), expectation: .secret),
            GuardCase(name: "preToolUse StrReplace in a layer", payload: Cursor.tool("StrReplace", ["file_path": r + "/config/clusters/prox.yaml", "old_string": "4096", "new_string": "8192"]), expectation: .allow),
            GuardCase(name: "preToolUse edit of a tool config", payload: Cursor.tool("Edit", ["file_path": r + "/.cursor/hooks.json", "old_string": "a", "new_string": "b"]), expectation: .deny("ai.writable-layers", ".cursor/hooks.json")),
            GuardCase(name: "preToolUse delete in docs", payload: Cursor.tool("Delete", ["file_path": r + "/docs/architecture.md"]), expectation: .deny("ai.docs-read-only", "docs/architecture.md")),
            GuardCase(name: "preToolUse shell", payload: Cursor.tool("Shell", ["command": "kubectl apply -f x.yaml"]), expectation: .deny("ai.forbidden-command", "kubectl apply")),
            GuardCase(name: "preToolUse homeport MCP", payload: Cursor.tool("MCP:homeport:check", ["paths": ["config"]]), expectation: .allow),
            GuardCase(name: "preToolUse unknown tool", payload: Cursor.tool("Teleport", ["to": "/"]), expectation: .deny("ai.unsupported-tool", "Teleport")),
            GuardCase(name: "preToolUse write without a path", payload: Cursor.tool("Write", ["content": "x"]), expectation: .deny("ai.malformed-input", "file_path")),
        ]
    }()

    @Test(arguments: shellCases + otherCases)
    func decides(_ row: GuardCase) throws {
        let outcome = HookGuard(client: .cursor, repoRoot: GuardFixture.root).run(input: Data(row.payload.utf8))
        try ClaudeGuardTests.expect(outcome, row.expectation)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: String])
        #expect(answer["permission"] == (outcome.exitCode == 0 ? "allow" : "deny"))
        if outcome.exitCode != 0 {
            #expect(answer["agent_message"]?.contains(outcome.decision.ruleID ?? "?") == true)
        }
    }

    @Test func tableIsLargeEnough() {
        #expect((Self.shellCases + Self.otherCases).count >= 40)
    }
}

/// The guard as Codex calls it: exit 0 allows, exit 2 blocks with the reason on stderr (Codex
/// ignores an exit 2 without one). Shell commands, `apply_patch` and MCP tools.
@Suite struct CodexGuardTests {
    static let shellCases: [GuardCase] = ShellTable.rows.map { GuardCase(name: "Bash: \($0.0)", payload: Codex.bash($0.1), expectation: $0.2) }

    static let otherCases: [GuardCase] = {
        let r = GuardFixture.root
        let age = GuardFixture.ageIdentity
        return [
            GuardCase(name: "patch adds an app manifest", payload: Codex.patch("*** Add File: cluster/kubernetes/apps/new/cm.yaml\n+apiVersion: v1\n+kind: ConfigMap\n"), expectation: .allow),
            GuardCase(name: "patch updates the cluster definition", payload: Codex.patch("*** Update File: config/clusters/prox.yaml\n@@\n-    memoryMiB: 4096\n+    memoryMiB: 8192\n"), expectation: .allow),
            GuardCase(name: "patch with an absolute path", payload: Codex.patch("*** Add File: \(r)/infrastructure/proxmox/vm.sh\n+echo vm\n"), expectation: .allow),
            GuardCase(name: "patch relative to a subdirectory", payload: Codex.patch("*** Add File: clusters/other.yaml\n+name: other\n", cwd: r + "/config"), expectation: .allow),
            GuardCase(name: "patch adds a doc", payload: Codex.patch("*** Add File: docs/notes.md\n+hi\n"), expectation: .deny("ai.docs-read-only", "docs/notes.md")),
            GuardCase(name: "patch climbs into docs from a subdirectory", payload: Codex.patch("*** Add File: ../docs/x.md\n+hi\n", cwd: r + "/config"), expectation: .deny("ai.docs-read-only", "docs/x.md")),
            GuardCase(name: "second file of a patch is a root file", payload: Codex.patch("*** Add File: config/a.yaml\n+a: 1\n*** Update File: AGENTS.md\n@@\n-# agents\n+# anything goes\n"), expectation: .deny("ai.writable-layers", "AGENTS.md")),
            GuardCase(name: "patch deletes the contract", payload: Codex.patch("*** Delete File: docs/repo-contract.md\n"), expectation: .deny("ai.docs-read-only", "docs/repo-contract.md")),
            GuardCase(name: "patch moves a layer file into scripts", payload: Codex.patch("*** Update File: config/clusters/prox.yaml\n*** Move to: scripts/prox.yaml\n@@\n-name: prox\n+name: moved\n"), expectation: .deny("ai.writable-layers", "scripts/prox.yaml")),
            GuardCase(name: "patch adds an age identity", payload: Codex.patch("*** Add File: config/clusters/key.yaml\n+key: \(age)\n"), expectation: .secret),
            GuardCase(name: "patch edits a private key in", payload: Codex.patch("*** Update File: config/clusters/prox.yaml\n@@\n-name: prox\n+name: prox\n+" + GuardFixture.privateKeyBlock.split(separator: "\n").joined(separator: "\n+") + "\n"), expectation: .secret),
            GuardCase(name: "patch writes a new top-level directory", payload: Codex.patch("*** Add File: tools/x.sh\n+echo\n"), expectation: .deny("layout.top-level", "tools/")),
            GuardCase(name: "patch writes a tool config", payload: Codex.patch("*** Add File: .codex/hooks.json\n+{}\n"), expectation: .deny("ai.writable-layers", ".codex/hooks.json")),
            GuardCase(name: "patch without an envelope", payload: Codex.call("apply_patch", ["command": "--- a/x\n+++ b/x\n"]), expectation: .deny("ai.malformed-input", "Begin Patch")),
            GuardCase(name: "patch without an end", payload: Codex.call("apply_patch", ["command": "*** Begin Patch\n*** Add File: config/a.yaml\n+a: 1\n"]), expectation: .deny("ai.malformed-input", "End Patch")),
            GuardCase(name: "patch with a stray line", payload: Codex.patch("*** Add File: config/a.yaml\nno plus\n"), expectation: .deny("ai.malformed-input", "'+'")),
            GuardCase(name: "empty patch", payload: Codex.patch(""), expectation: .deny("ai.malformed-input", "names no file")),
            GuardCase(name: "homeport MCP tool", payload: Codex.call("mcp__homeport__check", ["paths": ["config"]]), expectation: .allow),
            GuardCase(name: "another MCP server's tool", payload: Codex.call("mcp__k8s__resources_delete", ["name": "x"]), expectation: .deny("ai.unsupported-tool", "mcp__k8s__resources_delete")),
            GuardCase(name: "an unknown tool", payload: Codex.call("web_search", ["query": "x"]), expectation: .deny("ai.unsupported-tool", "web_search")),
            GuardCase(name: "PostToolUse event", payload: Codex.call("Bash", ["command": "ls"], event: "PostToolUse"), expectation: .deny("ai.malformed-input", "PostToolUse")),
            GuardCase(name: "Bash without a command", payload: Codex.call("Bash", ["cmd": "ls"]), expectation: .deny("ai.malformed-input", "command")),
            GuardCase(name: "tool_input not an object", payload: GuardFixture.json(["hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": "ls", "cwd": r]), expectation: .deny("ai.malformed-input", "tool_input")),
        ]
    }()

    @Test(arguments: shellCases + otherCases)
    func decides(_ row: GuardCase) throws {
        let outcome = HookGuard(client: .codex, repoRoot: GuardFixture.root).run(input: Data(row.payload.utf8))
        try ClaudeGuardTests.expect(outcome, row.expectation)
        if outcome.exitCode == 2 {
            #expect(!outcome.standardError.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "Codex ignores an exit 2 without a reason")
        }
    }

    @Test func tableIsLargeEnough() {
        #expect(Self.otherCases.count >= 20)
    }

    @Test func theRepositoryComesFromTheCwdWhenNotGiven() {
        let outcome = HookGuard(client: .codex).run(input: Data(Codex.patch("*** Add File: ../docs/x.md\n+x\n", cwd: GuardFixture.root + "/config").utf8))
        #expect(outcome.exitCode == 2)
        #expect(outcome.decision.ruleID == "ai.docs-read-only")
    }
}

/// The command line end to end, and the decision log.
@Suite struct GuardProcessTests {
    @Test func denyExitsTwoWithTheReasonOnStderr() throws {
        let result = try HomeportBinary.run(["ai", "guard", "--client", "claude", "--repo", GuardFixture.root],
                                            input: Data(Claude.write("docs/x.md").utf8))
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("homeport guard denied: ai.docs-read-only: "))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func allowExitsZeroSilently() throws {
        let result = try HomeportBinary.run(["ai", "guard", "--repo", GuardFixture.root], input: Data(Claude.bash("git status").utf8))
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
    }

    @Test func anUnknownClientDenies() throws {
        let result = try HomeportBinary.run(["ai", "guard", "--client", "vim", "--repo", GuardFixture.root], input: Data("{}".utf8))
        #expect(result.status == 2)
    }

    @Test func everyDecisionIsLoggedWithoutSecrets() throws {
        let repo = try TemporaryRepo(files: ["config/clusters/a.yaml": "name: a\n", "docs/repo-contract.md": "# c\n"])
        let guardian = HookGuard(client: .claude, repoRoot: repo.root)
        let payloads = [
            Claude.call("Write", ["file_path": repo.root + "/config/clusters/b.yaml", "content": "k: \(GuardFixture.ageIdentity)\n"]),
            Claude.call("Bash", ["command": "echo \(GuardFixture.ageIdentity) > config/k.yaml"], cwd: repo.root),
            Claude.call("Bash", ["command": "git status"], cwd: repo.root),
        ]
        let outcomes = payloads.map { guardian.run(input: Data($0.utf8)) }
        #expect(outcomes.map(\.exitCode) == [2, 2, 0])
        let log = try #require(repo.read("logs/ai/hooks.jsonl"))
        let lines = log.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(!log.contains(GuardFixture.ageIdentity))
        #expect(!log.contains(String(GuardFixture.ageIdentity.dropFirst(20))))
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["decision"] as? String == "deny")
        #expect(first["paths"] as? [String] == ["config/clusters/b.yaml"])
        let last = try #require(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
        #expect(last["decision"] as? String == "allow")
        #expect(last["command"] as? String == "git status")
    }

    @Test func theWrapperDeniesWhenThereIsNoBinary() throws {
        let repo = try TemporaryRepo(files: [:])
        let script = try String(contentsOfFile: SharedData.packageRoot + "/scripts/ai_harness.sh", encoding: .utf8)
        try repo.write("scripts/ai_harness.sh", script)
        let result = try TestProcess.run("/bin/bash", [repo.root + "/scripts/ai_harness.sh", "guard", "--client", "claude"], input: Data("{}".utf8))
        #expect(result.status == 2)
        #expect(result.standardError.contains("ai.internal-error"))
    }

    @Test func theWrapperPassesDecisionsThrough() throws {
        let result = try TestProcess.run("/bin/bash", [SharedData.packageRoot + "/scripts/ai_harness.sh", "guard", "--repo", GuardFixture.root],
                                         input: Data(Claude.bash("helm install x ./chart").utf8))
        #expect(result.status == 2)
        #expect(result.standardError.contains("ai.forbidden-command"))
    }
}
