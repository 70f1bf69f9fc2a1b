import Contract
import Foundation
import MCP

/// `contract_get`: the contract document and what it means for agents.
struct ContractGetTool: HarnessTool {
    let name = "contract_get"
    let summary = "The repo contract (docs/repo-contract.md), the law of this repository, with the layers agents may write and the commands they may never run."
    let inputSchema = Schema.object([:])
    let isReadOnly = true
    let roles = Set(AgentRole.allCases)

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        let document = (try? String(contentsOfFile: context.repoRoot + "/" + ContractDocument.path, encoding: .utf8))
            ?? "(docs/repo-contract.md is missing)"
        return ToolOutput(text: AgentPolicyText.summary + "\n\n" + document, structured: [
            "writableLayers": .array(AgentPolicy.writableLayers.map { .string($0 + "/") }),
            "forbiddenCommands": .array(AgentPolicy.forbiddenCommands.flatMap { entry in entry.verbs.sorted().map { .string("\(entry.program) \($0)") } }),
        ])
    }
}

/// `rules_explain`: what a rule checks and why, or the whole catalogue.
struct RulesExplainTool: HarnessTool {
    let name = "rules_explain"
    let summary = "Explains a rule of `homeport check` (id, summary, rationale, contract sections); without an id, lists every rule."
    let inputSchema = Schema.object(["id": Schema.string("A rule id such as k8s.parse; omit to list all rules.")])
    let isReadOnly = true
    let roles = Set(AgentRole.allCases)

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        let descriptions = RuleRegistry.all.map { $0.description }
        guard let id = arguments["id"]?.stringValue, !id.isEmpty else {
            return ToolOutput(text: RuleCatalogue.text(descriptions), structured: StructuredValue.from(json: RuleCatalogue.json(descriptions)))
        }
        guard let rule = RuleRegistry.rule(id: id)?.description else {
            let known = descriptions.map(\.id).joined(separator: ", ")
            if id.hasPrefix("ai.") || id == GuardRule.topLevel {
                return ToolOutput(text: "\(id) is a rule of the guard hook: \(AgentPolicyText.summary)")
            }
            return .failure("no rule \(id); known rules: \(known)")
        }
        let text = """
        \(rule.id) (\(rule.defaultSeverity.rawValue), contract \(rule.contractSections.joined(separator: ", ")))
        \(rule.summary)
        Why: \(rule.rationale)
        """
        return ToolOutput(text: text, structured: StructuredValue.from(json: RuleCatalogue.json([rule]))?.arrayValue?.first)
    }
}

/// The agent rules in prose, derived from ``AgentPolicy``.
enum AgentPolicyText {
    static var summary: String {
        let layers = AgentPolicy.writableLayers.map { "`\($0)/`" }.joined(separator: ", ")
        let forbidden = AgentPolicy.forbiddenCommands.map { "`\($0.program) \($0.verbs.sorted().joined(separator: "|"))`" }.joined(separator: ", ")
        return """
        Agents write only inside \(layers) (contract section 7); never in `docs/`, the repository root, `ai/`, \
        `scripts/`, `synology/` or `cluster/talos/`; never a new top-level directory; never a plaintext secret. \
        They never run \(forbidden): changes reach the cluster through Git and Flux.
        """
    }
}
