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

/// Codex is not supported until its payload format is verified: every call is denied.
@Suite struct CodexGuardTests {
    @Test(arguments: [Claude.bash("git status"), Claude.write("config/clusters/prox.yaml"), "{}"])
    func deniesEverything(_ payload: String) {
        let outcome = HookGuard(client: .codex, repoRoot: GuardFixture.root).run(input: Data(payload.utf8))
        #expect(outcome.exitCode == 2)
        #expect(outcome.decision.ruleID == "ai.unsupported-client")
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
