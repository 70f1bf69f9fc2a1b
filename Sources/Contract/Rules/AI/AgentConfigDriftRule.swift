import HomeportCore
import Manifests

/// `ai.config-drift`: the agent-client configs and the agent section of `AGENTS.md` match
/// what `homeport ai init` generates from the contract.
struct AgentConfigDriftRule: Rule {
    static let description = RuleDescription(
        id: "ai.config-drift",
        summary: "Agent client configs (.mcp.json, hook settings, the AGENTS.md agent section) match what `homeport ai init` generates from the contract.",
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
            RuleExample("init ran but AGENTS.md has no section", files: [
                ".mcp.json": AgentClientConfig.files[0].content,
                "AGENTS.md": "↓# Agents\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for generated in AgentClientConfig.files {
            guard let file = context.snapshot.file(generated.path), let text = file.text else { continue }
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
