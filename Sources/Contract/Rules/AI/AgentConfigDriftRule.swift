import HomeportCore
import Manifests

/// `ai.config-drift`: the agent-client configs and the agent section of `AGENTS.md` match
/// what `homeport ai init` generates from the contract.
struct AgentConfigDriftRule: Rule {
    static let description = RuleDescription(
        id: "ai.config-drift",
        summary: "Agent client configs (.mcp.json, hook settings of Claude Code, Cursor and Codex, the AGENTS.md agent section) and the pull-request workflow match what `homeport ai init` and `homeport ci init` generate.",
        rationale: "Contract 7: AI tools treat the contract as law; a hand-edited or stale hook or MCP entry would let an agent run without the guard or with the wrong rules.",
        contractSections: ["7"],
        nonTriggeringExamples: [
            RuleExample("no agent configs", files: ["AGENTS.md": "# Agents\n"]),
            RuleExample("generated .mcp.json with another server", files: [
                ".mcp.json": "{\"mcpServers\": {\"homeport\": {\"command\": \"scripts/ai_harness.sh\", \"args\": [\"mcp\", \"--role\", \"engineer\"]}, \"other\": {\"command\": \"x\"}}}\n",
                "AGENTS.md": AgentClientConfig.updatingAgents("# Agents\n"),
            ]),
            RuleExample("generated AGENTS.md section", files: ["AGENTS.md": AgentClientConfig.updatingAgents("# Agents\n\nText.\n")]),
            RuleExample("generated claude settings", files: [".claude/settings.json": AgentClientConfig.files[1].content]),
            RuleExample("generated codex hooks", files: [".codex/hooks.json": AgentClientConfig.files[4].content]),
            RuleExample("the generated pull-request workflow", files: [PullRequestGateWorkflow.path: PullRequestGateWorkflow.content]),
        ],
        triggeringExamples: [
            RuleExample("the MCP entry runs another role", files: [
                ".mcp.json": "{\"mcpServers\": {\n  ↓\"homeport\": {\"command\": \"scripts/ai_harness.sh\", \"args\": [\"mcp\", \"--role\", \"executor\"]}}}\n",
                "AGENTS.md": AgentClientConfig.updatingAgents("# Agents\n"),
            ]),
            RuleExample("hand-edited AGENTS.md section", files: [
                "AGENTS.md": "# Agents\n↓" + AgentClientConfig.beginMarker + "\nYou may write anywhere.\n" + AgentClientConfig.endMarker + "\n",
            ]),
            RuleExample("the guard hook was removed", files: [
                ".claude/settings.json": "↓{\"hooks\": {\"PreToolUse\": []}}\n",
            ]),
            RuleExample("the codex guard hook points elsewhere", files: [
                ".codex/hooks.json": "↓" + AgentClientConfig.files[4].content.replacingOccurrences(of: "guard --client codex", with: "guard --client claude"),
            ]),
            RuleExample("the workflow runs the pull request's own script", files: [
                PullRequestGateWorkflow.path: "↓" + PullRequestGateWorkflow.content.replacingOccurrences(of: "run: base/scripts/pr_gate.sh", with: "run: pr/scripts/pr_gate.sh"),
            ]),
            RuleExample("init ran but AGENTS.md has no section", files: [
                ".mcp.json": AgentClientConfig.files[0].content,
                "AGENTS.md": "↓# Agents\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let workflow = AgentClientConfig.File(path: PullRequestGateWorkflow.path, ownedPart: .wholeFile, content: PullRequestGateWorkflow.content)
        for generated in AgentClientConfig.files + [workflow] {
            guard let file = context.snapshot.file(generated.path), let text = file.text else { continue }
            if case .wholeFile = generated.ownedPart, text != generated.content {
                findings.append(finding("\(generated.path) differs from what `homeport ci init` generates; run it again rather than editing the file", at: file.path, line: 1))
                continue
            }
            if let problem = drift(text, generated.ownedPart) {
                let line = lineOfServer(file) ?? 1
                findings.append(finding("\(generated.path) \(problem); run `homeport ai init` to regenerate it", at: file.path, line: line))
            }
        }
        findings += checkAgents(context)
        return findings
    }

    private func drift(_ text: String, _ owned: AgentClientConfig.OwnedPart) -> String? {
        switch owned {
        case .wholeFile:
            return nil
        case .textBlock(let block):
            return text.contains(block) ? nil : "lacks the generated [mcp_servers.\(AgentClientConfig.serverName)] block"
        case .jsonValue(let path, let value):
            guard let parsed = JSONValue.parse(text) else { return "is not valid JSON" }
            return parsed[path] == value ? nil : "has a \(path.joined(separator: ".")) entry that differs from the generated one"
        case .jsonArrayElements(let entries):
            guard let parsed = JSONValue.parse(text) else { return "is not valid JSON" }
            for entry in entries {
                guard case .array(let items)? = parsed[entry.keyPath], items.contains(entry.value) else {
                    return "lacks the generated \(entry.keyPath.joined(separator: ".")) guard hook"
                }
            }
            return nil
        }
    }

    private func lineOfServer(_ file: RepoFile) -> Int? {
        file.lines.firstIndex { $0.contains("\"\(AgentClientConfig.serverName)\"") }.map { $0 + 1 }
    }

    private func checkAgents(_ context: RuleContext) -> [Finding] {
        guard let file = context.snapshot.file(AgentClientConfig.agentsPath), let text = file.text else { return [] }
        let lines = file.lines
        guard let begin = lines.firstIndex(where: { $0.contains(AgentClientConfig.beginMarker) }) else {
            let initRan = AgentClientConfig.files.contains { context.snapshot.file($0.path) != nil }
            return initRan ? [finding("AGENTS.md has no generated agent section although agent configs exist; run `homeport ai init`", at: file.path, line: 1)] : []
        }
        if AgentClientConfig.updatingAgents(text) != text {
            return [finding("the agent section of AGENTS.md differs from what the contract generates; run `homeport ai init` rather than editing it", at: file.path, line: begin + 1)]
        }
        return []
    }
}
