import Contract
import Foundation
import HomeportCore
import Manifests
import Testing
import TestSupport
@testable import AgentHarness

@Suite struct AgentInitTests {
    /// The contract as it was before any tool-configuration amendment: its layout blocks list
    /// neither .claude/ nor .github/.
    static func contract() -> String {
        let text = (try? String(contentsOfFile: SharedData.packageRoot + "/docs/repo-contract.md", encoding: .utf8)) ?? "# contract\n"
        guard let amendment = text.range(of: #"\n### \d{4}-\d{2}-\d{2}: tool configuration in"#, options: .regularExpression) else { return text }
        return String(text[..<amendment.lowerBound]) + "\n"
    }

    static func findings(_ root: String, rules: [String] = ["ai.config-drift"]) throws -> [String] {
        let snapshot = try RepoScanner().scan(root: root)
        return Checker(rules: rules.compactMap { RuleRegistry.rule(id: $0) }).check(snapshot).map { "\($0.ruleID) \($0.location.path)" }
    }

    /// Layout findings about the tool directories (the scratch repositories lack most of the
    /// contract's other directories, which docs.layout-drift rightly reports).
    static func toolLayoutFindings(_ root: String) throws -> [String] {
        let snapshot = try RepoScanner().scan(root: root)
        return Checker(rules: layoutRules.compactMap { RuleRegistry.rule(id: $0) }).check(snapshot)
            .map { "\($0.ruleID) \($0.location.path): \($0.message)" }
            .filter { finding in [".claude", ".cursor", ".codex", ".github"].contains { finding.contains($0) } || finding.hasPrefix("layout.top-level") }
    }

    static let layoutRules = ["layout.top-level", "docs.layout-drift", "ai.config-drift"]

    static func freshRepo() throws -> TemporaryRepo {
        try TemporaryRepo(files: ["docs/repo-contract.md": contract(), "AGENTS.md": "# Agents\n\nRead the contract.\n"])
    }

    @Test func withoutATerminalOrYesNothingIsWritten() throws {
        let repo = try Self.freshRepo()
        let report = try AgentInit.run(root: repo.root, approval: .unavailable)
        let stopped = try #require(report.stopped)
        #expect(stopped.reason.contains("--yes"))
        #expect(stopped.amendment.directories == [".claude", ".codex", ".cursor"])
        #expect(report.written.isEmpty)
        #expect(report.text.hasPrefix("nothing written: "))
        #expect(report.text.contains("├─ .claude/"))
        for path in [".mcp.json", ".claude", ".cursor", ".codex"] { #expect(!FileManager.default.fileExists(atPath: repo.root + "/" + path), "\(path)") }
        #expect(repo.read("docs/repo-contract.md") == Self.contract())
        #expect(repo.read("AGENTS.md") == "# Agents\n\nRead the contract.\n")
    }

    @Test func aDeclinedAmendmentWritesNothing() throws {
        let repo = try Self.freshRepo()
        let shown = LockedText()
        let report = try AgentInit.run(root: repo.root, clients: ["claude"], approval: .ask { text in shown.set(text); return false })
        #expect(report.stopped?.reason == "the amendment was declined")
        #expect(shown.value.contains("└─ .claude/"))
        #expect(!shown.value.contains(".cursor/"))
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/.claude"))
        #expect(repo.read("docs/repo-contract.md") == Self.contract())
    }

    @Test func theApprovedAmendmentAdmitsTheConfigsAndTheCheckStaysClean() throws {
        let repo = try Self.freshRepo()
        let report = try AgentInit.run(root: repo.root, approval: .ask { _ in true })
        let amendment = try #require(report.amendmentAdded)
        #expect(amendment.directories == [".claude", ".codex", ".cursor"])
        #expect(Set(report.written) == [".mcp.json", ".claude/settings.json", ".cursor/hooks.json", ".cursor/mcp.json", ".codex/hooks.json", ".codex/config.toml", "AGENTS.md"])
        #expect(report.notes.contains(AgentInit.codexTrustNote))
        let contract = try #require(repo.read("docs/repo-contract.md"))
        #expect(contract.hasPrefix(Self.contract()))
        #expect(contract.contains("### \(amendment.date): tool configuration in `.claude/`, `.codex/`, `.cursor/`\n"))
        // layout.top-level reads the amendment; docs.layout-drift finds every listed directory.
        #expect(try Self.toolLayoutFindings(repo.root).isEmpty)
        let snapshot = try RepoScanner().scan(root: repo.root)
        #expect(ContractDocument(file: snapshot.file(ContractDocument.path)).allowedDirectories.isSuperset(of: [".claude", ".cursor", ".codex"]))

        // Every client's config invokes the guard.
        let claude = try #require(JSONValue.parse(repo.read(".claude/settings.json") ?? ""))
        #expect(claude[["hooks", "PreToolUse"]]?.rendered.contains("scripts/ai_harness.sh guard --client claude") == true)
        let cursor = try #require(JSONValue.parse(repo.read(".cursor/hooks.json") ?? ""))
        for event in ["preToolUse", "beforeShellExecution", "beforeMCPExecution", "beforeReadFile"] {
            #expect(cursor[["hooks", event]]?.rendered.contains("guard --client cursor") == true, "\(event)")
        }
        let codex = try #require(JSONValue.parse(repo.read(".codex/hooks.json") ?? ""))
        #expect(codex[["hooks", "PreToolUse"]]?.rendered.contains("Bash|apply_patch|mcp__.*") == true)
        #expect(repo.read(".codex/config.toml")?.contains("[mcp_servers.homeport]") == true)

        // A second run changes nothing and amends nothing.
        let again = try AgentInit.run(root: repo.root, approval: .unavailable)
        #expect(again.stopped == nil)
        #expect(again.amendmentAdded == nil)
        #expect(again.written.isEmpty)
        #expect(repo.read("docs/repo-contract.md") == contract)
    }

    @Test func oneClientAmendsOnlyItsDirectory() throws {
        let repo = try Self.freshRepo()
        let report = try AgentInit.run(root: repo.root, clients: ["codex"], approval: .granted)
        #expect(report.amendmentAdded?.directories == [".codex"])
        #expect(try Self.toolLayoutFindings(repo.root).isEmpty)
        // The amendment's tree is what docs.layout-drift holds the repository to.
        try FileManager.default.removeItem(atPath: repo.root + "/.codex")
        #expect(try Self.toolLayoutFindings(repo.root).contains { $0.hasPrefix("docs.layout-drift") && $0.contains("'.codex/'") })
    }

    @Test func aMalformedClaudeSettingsFileStopsWithItsLine() throws {
        let repo = try TemporaryRepo(files: [
            "docs/repo-contract.md": Self.contract(),
            "homeport.yaml": "allowedTopLevel: [.claude, .cursor, .codex]\n",
            ".claude/settings.json": "{\n  \"permissions\": {\"allow\": [\"Bash(ls)\"]},\n  \"hooks\": {\"PreToolUse\": [,]}\n}\n",
        ])
        let before = repo.read(".claude/settings.json")
        do {
            _ = try AgentInit.run(root: repo.root, approval: .granted)
            Issue.record("a broken settings file was not reported")
        } catch let error as HomeportError {
            #expect(error.location?.path == ".claude/settings.json")
            #expect(error.location?.line == 3)
            #expect(error.description.hasPrefix(".claude/settings.json:3:"))
            #expect(error.message.contains("nothing was written"))
        }
        #expect(repo.read(".claude/settings.json") == before)
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/.mcp.json"))
    }

    @Test func mergesIntoExistingConfigsAndDriftIsFlagged() throws {
        let repo = try TemporaryRepo(files: [
            "docs/repo-contract.md": Self.contract(),
            "homeport.yaml": "allowedTopLevel: [.claude, .cursor, .codex]\n",
            ".mcp.json": "{\"mcpServers\": {\"flux\": {\"command\": \"flux-operator-mcp\", \"args\": [\"serve\", \"--read-only\"]}}}\n",
            ".claude/settings.json": "{\"permissions\": {\"deny\": [\"Read(./.env)\"]}, \"hooks\": {\"PreToolUse\": [{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"echo audit\"}]}]}}\n",
            ".codex/config.toml": "model = \"local\"\n",
        ])
        let report = try AgentInit.run(root: repo.root)
        #expect(report.stopped == nil)
        #expect(Set(report.written) == [".mcp.json", ".claude/settings.json", ".cursor/hooks.json", ".cursor/mcp.json", ".codex/hooks.json", ".codex/config.toml", "AGENTS.md"])
        let mcp = try #require(JSONValue.parse(repo.read(".mcp.json") ?? ""))
        #expect(mcp[["mcpServers", "flux", "command"]] == .string("flux-operator-mcp"))
        #expect(mcp[["mcpServers", "homeport", "command"]] == .string("scripts/ai_harness.sh"))
        #expect(repo.read(".codex/config.toml")?.hasPrefix("model = \"local\"\n") == true)
        let settings = try #require(JSONValue.parse(repo.read(".claude/settings.json") ?? ""))
        #expect(settings[["permissions", "deny"]] == .array([.string("Read(./.env)")]))
        guard case .array(let groups)? = settings[["hooks", "PreToolUse"]] else { Issue.record("no PreToolUse hooks"); return }
        #expect(groups.count == 2)
        #expect(groups.first?.rendered.contains("echo audit") == true)
        #expect(try Self.findings(repo.root).isEmpty)

        // Hand edits are drift.
        try repo.write(".claude/settings.json", "{\"hooks\": {\"PreToolUse\": []}}\n")
        try repo.write(".codex/hooks.json", "{\"hooks\": {}}\n")
        try repo.write("AGENTS.md", (repo.read("AGENTS.md") ?? "").replacingOccurrences(of: "Never run", with: "Feel free to run"))
        #expect(try Self.findings(repo.root).sorted() == ["ai.config-drift .claude/settings.json", "ai.config-drift .codex/hooks.json", "ai.config-drift AGENTS.md"])
        _ = try AgentInit.run(root: repo.root)
        #expect(try Self.findings(repo.root).isEmpty)
    }

    @Test func userLevelHooksRunTheBinaryByAbsolutePath() throws {
        let home = try TemporaryRepo(files: [".claude/settings.json": "{\"theme\": \"dark\"}\n"])
        let report = try AgentInit.runUser(home: home.root, binary: "/opt/homeport tools/homeport")
        #expect(Set(report.written) == ["~/.claude/settings.json", "~/.cursor/hooks.json", "~/.codex/hooks.json"])
        #expect(!FileManager.default.fileExists(atPath: home.root + "/.mcp.json"))
        let settings = try #require(JSONValue.parse(home.read(".claude/settings.json") ?? ""))
        #expect(settings[["theme"]] == .string("dark"))
        let command = settings[["hooks", "PreToolUse"]]?.rendered ?? ""
        #expect(command.contains("'/opt/homeport tools/homeport' ai guard --client claude --user-level"))
        #expect(home.read(".codex/hooks.json")?.contains("--client codex --user-level") == true)
        #expect(throws: HomeportError.self) { try AgentInit.runUser(home: home.root, binary: "homeport") }
    }

    @Test func generatedJSONRoundTrips() {
        for file in AgentClientConfig.files where file.path.hasSuffix(".json") {
            let parsed = JSONValue.parse(file.content)
            #expect(parsed?.rendered == file.content, "\(file.path)")
            #expect(JSONSyntaxError.find(in: file.content) == nil, "\(file.path)")
        }
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, "quoted key"),
        ("{\n  \"a\": [1, 2\n}", 3, "']'"),
        ("{\n\n  \"a\": tru }", 3, "true"),
        ("{\"a\": \"x\n\"}", 1, "control character"),
        ("{} {}", 1, "after the end"),
        ("", 1, "end of the file"),
    ])
    func syntaxErrorsNameTheirLine(_ sample: (String, Int, String)) throws {
        let error = try #require(JSONSyntaxError.find(in: sample.0))
        #expect(error.line == sample.1)
        #expect(error.message.contains(sample.2), "\(error.message)")
    }
}

@Suite struct CIInitTests {
    @Test func theWorkflowNeedsTheAmendmentAndPassesTheChecks() throws {
        let repo = try TemporaryRepo(files: ["docs/repo-contract.md": AgentInitTests.contract(), "scripts/pr_gate.sh": "#!/bin/sh\n"])
        let refused = try CIInit.run(root: repo.root)
        #expect(refused.stopped?.amendment.directories == [".github"])
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/.github"))

        let report = try CIInit.run(root: repo.root, approval: .granted)
        #expect(report.amendmentAdded?.directories == [".github"])
        #expect(report.written == [PullRequestGateWorkflow.path])
        #expect(try AgentInitTests.toolLayoutFindings(repo.root).isEmpty)
        let workflow = try #require(repo.read(PullRequestGateWorkflow.path))
        // Every action is pinned by a full commit SHA.
        let uses = workflow.split(separator: "\n").filter { $0.contains("uses:") }
        #expect(uses.count == 3)
        for line in uses {
            #expect(line.range(of: #"uses: [\w-]+/[\w-]+@[0-9a-f]{40} # v\d"#, options: .regularExpression) != nil, "\(line)")
        }
        #expect(workflow.contains("run: base/scripts/pr_gate.sh"))

        try repo.write(PullRequestGateWorkflow.path, workflow.replacingOccurrences(of: "base/scripts/pr_gate.sh", with: "pr/scripts/pr_gate.sh"))
        #expect(try AgentInitTests.findings(repo.root) == ["ai.config-drift .github/workflows/pr-gate.yml"])
    }
}

/// A string set from a `@Sendable` closure.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func set(_ value: String) { lock.withLock { text = value } }
    var value: String { lock.withLock { text } }
}
