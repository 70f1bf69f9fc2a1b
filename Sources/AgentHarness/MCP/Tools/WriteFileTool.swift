import Contract
import Foundation
import HomeportCore
import MCP

/// `write_file`: the engineer's guarded write. The same policy as the guard hook decides
/// (writable layers, no new top-level directory, no plaintext secret); the file is written
/// atomically and the checker's findings for it come back.
struct WriteFileTool: HarnessTool {
    let name = "write_file"
    let summary = "Writes a file inside the agent-writable layers after the guard's checks (layers, top-level, plaintext secrets); returns the checker's findings for that file."
    let inputSchema = Schema.object([
        "path": Schema.string("Repo-relative path inside cluster/kubernetes/, config/ or infrastructure/."),
        "content": Schema.string("The whole new content of the file."),
    ], required: ["path", "content"])
    let isReadOnly = false
    let roles: Set<AgentRole> = [.engineer]

    /// Limits a run to the layers of its task (nil: the writable layers only).
    var taskLayers: TaskSpec?

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        guard let path = arguments["path"]?.stringValue, let content = arguments["content"]?.stringValue else {
            return .failure("`path` and `content` are required strings")
        }
        let policy = WritePolicy(root: context.repoRoot)
        let relative: String
        switch policy.check(write: path, from: policy.resolver.root) {
        case .failure(let denial): return .failure("denied: \(denial.message)")
        case .success(nil): return .failure("denied: \(path) is not a file in the repository")
        case .success(let value?): relative = value
        }
        if let task = taskLayers, !task.allows(relative) {
            return .failure("denied: ai.task-layers: \(relative) is outside the layers of task \(task.id) (\(task.layers.joined(separator: ", ")))")
        }
        if let denial = SecretScreen(root: policy.resolver.root).check(path: relative, content: content) {
            return .failure("denied: \(denial.message)")
        }
        do {
            try AtomicFile.write(content, to: URL(fileURLWithPath: policy.resolver.root + "/" + relative))
        } catch {
            return .failure("could not write \(relative): \(error)")
        }
        let findings = (try? HarnessCheck.run(root: policy.resolver.root, paths: [relative], diff: nil).report.findings) ?? []
        let text = "wrote \(relative)" + (findings.isEmpty ? "; no findings" : "; findings:\n" + findings.map { "\($0.location.description): [\($0.ruleID)] \($0.message)" }.joined(separator: "\n"))
        return ToolOutput(text: text, structured: ["path": .string(relative), "findings": .int(findings.count)])
    }
}
