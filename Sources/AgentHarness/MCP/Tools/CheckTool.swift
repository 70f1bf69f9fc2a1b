import Contract
import HomeportCore
import MCP

/// `check`: the contract checker, on the whole repository, some paths, or a proposed diff.
struct CheckTool: HarnessTool {
    let name = "check"
    let summary = "Runs `homeport check` in-process: on the whole repository, only findings under `paths`, or with a unified `diff` applied in memory first (nothing is written). Returns the findings as JSON."
    let inputSchema = Schema.object([
        "paths": Schema.strings("Repo-relative files or folders; report only findings there."),
        "diff": Schema.string("A unified diff (git diff format) to check before applying it."),
    ])
    let isReadOnly = true
    let roles = Set(AgentRole.allCases)

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        let paths = arguments["paths"]?.arrayValue?.compactMap(\.stringValue) ?? arguments["paths"]?.stringValue.map { [$0] } ?? []
        let diff = arguments["diff"]?.stringValue
        do {
            let result = try HarnessCheck.run(root: context.repoRoot, paths: paths, diff: diff)
            let json = JSONReporter().report(result.report)
            let report = result.report
            var text = report.findings.isEmpty
                ? "No findings: the contract holds"
                : "\(report.errorCount) error(s), \(report.warningCount) warning(s)"
            if !result.changedPaths.isEmpty { text += " for the diff touching \(result.changedPaths.joined(separator: ", "))" }
            text += ".\n" + report.findings.map { "\($0.location.description): \($0.severity.rawValue) [\($0.ruleID)] \($0.message)" }.joined(separator: "\n")
            return ToolOutput(text: text, structured: StructuredValue.from(json: json))
        } catch {
            return .failure("check failed: \(error)")
        }
    }
}
