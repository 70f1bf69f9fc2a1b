import Contract
import Foundation
import Manifests
import Testing
import TestSupport
@testable import AgentHarness

@Suite struct AgentInitTests {
    static func contract() -> String {
        (try? String(contentsOfFile: SharedData.packageRoot + "/docs/repo-contract.md", encoding: .utf8)) ?? "# contract\n"
    }

    static func driftFindings(_ root: String) throws -> [String] {
        let snapshot = try RepoScanner().scan(root: root)
        return Checker(rules: [RuleRegistry.rule(id: "ai.config-drift")].compactMap { $0 }).check(snapshot).map(\.location.path)
    }

    @Test func writesWhatTheContractAllowsAndRefusesNewTopLevelDirectories() throws {
        let repo = try TemporaryRepo(files: ["docs/repo-contract.md": Self.contract(), "AGENTS.md": "# Agents\n\nRead the contract.\n"])
        let report = try AgentInit.run(root: repo.root)
        #expect(report.written == [".mcp.json", "AGENTS.md"])
        #expect(Set(report.refused.map(\.path)) == [".claude/settings.json", ".cursor/hooks.json", ".cursor/mcp.json", ".codex/config.toml"])
        #expect(report.refused.allSatisfy { $0.reason.contains("does not list") })
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/.claude"))
        let mcp = try #require(repo.read(".mcp.json"))
        #expect(JSONValue.parse(mcp)?[["mcpServers", "homeport", "args"]] == .array([.string("mcp"), .string("--role"), .string("engineer")]))
        let agents = try #require(repo.read("AGENTS.md"))
        #expect(agents.hasPrefix("# Agents\n\nRead the contract.\n"))
        #expect(agents.contains("`cluster/kubernetes/`, `config/`, `infrastructure/`"))
        #expect(try Self.driftFindings(repo.root).isEmpty)

        // A second run changes nothing.
        let again = try AgentInit.run(root: repo.root)
        #expect(again.written.isEmpty)
        #expect(again.unchanged == [".mcp.json", "AGENTS.md"])
    }

    @Test func mergesIntoExistingConfigsAndDriftIsFlagged() throws {
        let repo = try TemporaryRepo(files: [
            "docs/repo-contract.md": Self.contract(),
            "homeport.yaml": "allowedTopLevel: [.claude, .cursor, .codex]\n",
            ".mcp.json": "{\"mcpServers\": {\"flux\": {\"command\": \"flux-operator-mcp\", \"args\": [\"serve\", \"--read-only\"]}}}\n",
            ".codex/config.toml": "model = \"local\"\n",
        ])
        let report = try AgentInit.run(root: repo.root)
        #expect(report.refused.isEmpty)
        #expect(Set(report.written) == [".mcp.json", ".claude/settings.json", ".cursor/hooks.json", ".cursor/mcp.json", ".codex/config.toml", "AGENTS.md"])
        let mcp = try #require(JSONValue.parse(repo.read(".mcp.json") ?? ""))
        #expect(mcp[["mcpServers", "flux", "command"]] == .string("flux-operator-mcp"))
        #expect(mcp[["mcpServers", "homeport", "command"]] == .string("scripts/ai_harness.sh"))
        #expect(repo.read(".codex/config.toml")?.hasPrefix("model = \"local\"\n") == true)
        let settings = try #require(JSONValue.parse(repo.read(".claude/settings.json") ?? ""))
        guard case .array(let groups)? = settings[["hooks", "PreToolUse"]] else { Issue.record("no PreToolUse hooks"); return }
        #expect(groups.count == 1)
        #expect(try Self.driftFindings(repo.root).isEmpty)

        // Hand edits are drift.
        try repo.write(".claude/settings.json", "{\"hooks\": {\"PreToolUse\": []}}\n")
        try repo.write("AGENTS.md", (repo.read("AGENTS.md") ?? "").replacingOccurrences(of: "Never run", with: "Feel free to run"))
        #expect(try Self.driftFindings(repo.root).sorted() == [".claude/settings.json", "AGENTS.md"])
        _ = try AgentInit.run(root: repo.root)
        #expect(try Self.driftFindings(repo.root).isEmpty)
    }

    @Test func generatedJSONRoundTrips() {
        for file in AgentClientConfig.files where file.path.hasSuffix(".json") {
            let parsed = JSONValue.parse(file.content)
            #expect(parsed?.rendered == file.content, "\(file.path)")
        }
    }
}
