import Foundation
import MCP

/// `task_list` and `task_get`: the task specs of `ai/tasks.md`.
struct TaskListTool: HarnessTool {
    let name = "task_list"
    let summary = "Lists the task specs in ai/tasks.md (id, title, role, layers)."
    let inputSchema = Schema.object([:])
    let isReadOnly = true
    let roles = Set(AgentRole.allCases)

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        guard let text = try? String(contentsOfFile: context.repoRoot + "/" + TaskFile.path, encoding: .utf8) else {
            return .failure("\(TaskFile.path) does not exist")
        }
        let tasks = TaskFile.parse(text)
        let lines = tasks.map { "\($0.id) [\($0.role.rawValue)] \($0.title) — layers: \($0.layers.joined(separator: ", "))" }
        return ToolOutput(text: lines.joined(separator: "\n"), structured: StructuredValue.from(["tasks": tasks]))
    }
}

struct TaskGetTool: HarnessTool {
    let name = "task_get"
    let summary = "One task spec of ai/tasks.md with its acceptance checks and instructions."
    let inputSchema = Schema.object(["id": Schema.string("The task id (its ## heading).")], required: ["id"])
    let isReadOnly = true
    let roles = Set(AgentRole.allCases)

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        guard let id = arguments["id"]?.stringValue else { return .failure("`id` is required") }
        guard let text = try? String(contentsOfFile: context.repoRoot + "/" + TaskFile.path, encoding: .utf8) else {
            return .failure("\(TaskFile.path) does not exist")
        }
        guard let task = TaskFile.parse(text).first(where: { $0.id == id }) else {
            return .failure("no task \(id) in \(TaskFile.path)")
        }
        let body = """
        \(task.id): \(task.title) (role \(task.role.rawValue))
        Layers: \(task.layers.joined(separator: ", "))
        Acceptance:
        \(task.acceptance.map { "- \($0)" }.joined(separator: "\n"))

        \(task.prose)
        """
        return ToolOutput(text: body, structured: StructuredValue.from(task))
    }
}
