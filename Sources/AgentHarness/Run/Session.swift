import Contract
import Foundation
import MCP

/// The plan the planner submits.
struct Plan: Sendable {
    var steps: [String]
    var files: [String]

    var markdown: String {
        "# Plan\n\n## Files\n\n" + files.map { "- `\($0)`" }.joined(separator: "\n") + "\n\n## Steps\n\n"
            + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
    }

    /// The first planned file the contract or the task does not allow.
    func rejection(for task: TaskSpec, root: String) -> GuardDecision? {
        let policy = WritePolicy(root: root)
        if files.isEmpty { return .deny(GuardRule.malformedInput, "the plan names no files") }
        for file in files {
            if case .failure(let denial) = policy.check(write: file, from: policy.resolver.root) { return denial }
            if !task.allows(file) {
                return .deny("ai.task-layers", "\(file) is outside the layers of task \(task.id) (\(task.layers.joined(separator: ", ")))")
            }
        }
        return nil
    }
}

/// The conversation state of a run: budgets, ids, logging.
struct Session {
    let options: RunOptions
    let backend: any ChatBackend
    let log: RunLog
    var toolCalls = 0
    var idCounter = 0

    init(options: RunOptions, backend: any ChatBackend, log: RunLog) {
        self.options = options
        self.backend = backend
        self.log = log
    }

    static let submitPlanTool: Value = [
        "type": "function",
        "function": [
            "name": "submit_plan",
            "description": "Submit the plan: the repo-relative files you will change and the steps. It is checked against the contract before any edit.",
            "parameters": [
                "type": "object", "required": ["files", "steps"],
                "properties": ["files": ["type": "array", "items": ["type": "string"]], "steps": ["type": "array", "items": ["type": "string"]]],
            ],
        ],
    ]

    mutating func plan(task: TaskSpec, root: String) async throws -> Plan {
        let context = ToolContext(repoRoot: root, role: .planner, environment: ProcessInfo.processInfo.environment)
        let tools = HarnessToolbox.tools(for: context)
        let system = """
        You are the Planner for a homelab GitOps repository. \(AgentPolicyText.summary)
        Read what you need with the tools, then call submit_plan once with every file the Engineer will change \
        (inside the task's layers) and the steps. Do not change anything yourself.
        """
        var submitted: Plan?
        try await converse(role: "planner", system: system, user: describe(task), tools: tools, context: context,
                           extraTools: [Self.submitPlanTool]) { call in
            guard call.name == "submit_plan" else { return nil }
            let files = Self.strings(call.arguments["files"])
            let steps = Self.strings(call.arguments["steps"])
            submitted = Plan(steps: steps, files: files)
            return (ToolOutput(text: "plan received"), true)
        }
        guard let plan = submitted else { throw RunStop(status: .failed, message: "the planner ended without submitting a plan") }
        return plan
    }

    mutating func engineer(task: TaskSpec, plan: Plan, root: String) async throws {
        let context = ToolContext(repoRoot: root, role: .engineer, environment: ProcessInfo.processInfo.environment)
        let tools: [any HarnessTool] = HarnessToolbox.tools(for: context).map { tool in
            tool.name == "write_file" ? WriteFileTool(taskLayers: task) : tool
        }
        let system = """
        You are the Engineer for a homelab GitOps repository. \(AgentPolicyText.summary)
        Carry out the plan with write_file (whole file contents), stay inside the task's layers, call check \
        before you finish, and answer without a tool call when you are done.
        """
        let user = describe(task) + "\n\n" + plan.markdown
        try await converse(role: "engineer", system: system, user: user, tools: tools, context: context, extraTools: []) { _ in nil }
    }

    private func describe(_ task: TaskSpec) -> String {
        """
        Task \(task.id): \(task.title)
        Layers: \(task.layers.joined(separator: ", "))
        Acceptance:
        \(task.acceptance.map { "- \($0)" }.joined(separator: "\n"))

        \(task.prose)
        """
    }

    /// The tool-calling loop of one role. `special` handles harness-owned tools; returning
    /// `true` as its second value ends the conversation.
    mutating func converse(role: String, system: String, user: String, tools: [any HarnessTool], context: ToolContext,
                           extraTools: [Value], special: (ParsedToolCall) -> (ToolOutput, Bool)?) async throws {
        var messages: [Value] = [["role": "system", "content": .string(system)], ["role": "user", "content": .string(user)]]
        messages.forEach { log.transcript(role, $0) }
        let toolSpecs = tools.map { tool -> Value in
            ["type": "function", "function": ["name": .string(tool.name), "description": .string(tool.summary), "parameters": tool.inputSchema]]
        } + extraTools
        for turn in 1...max(1, options.maxTurnsPerRole) {
            let (message, finish) = try await backend.complete(messages: messages, tools: toolSpecs)
            log.transcript(role, message)
            var counter = idCounter
            let calls = ToolCallParser.calls(in: message) {
                counter += 1
                return "call_h\(counter)"
            }
            idCounter = counter
            log.event(role, "model_turn", ["turn": .int(turn), "finish_reason": .string(finish ?? ""), "tool_calls": .int(calls.count)])
            if calls.isEmpty { return }
            // The assistant message as the endpoint expects it back: ids and string arguments.
            messages.append([
                "role": "assistant", "content": .string(message.objectValue?["content"]?.stringValue ?? ""),
                "tool_calls": .array(calls.map { call in
                    let arguments = (try? JSONEncoder().encode(Value.object(call.arguments))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                    return ["id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(arguments)]]
                }),
            ])
            var done = false
            for call in calls {
                toolCalls += 1
                if toolCalls > options.maxToolCalls {
                    log.event(role, "budget", ["limit": .int(options.maxToolCalls)])
                    throw RunStop(status: .budgetExceeded, message: "the tool-call budget of \(options.maxToolCalls) is used up")
                }
                let output: ToolOutput
                if let error = call.argumentError {
                    output = .failure(error)
                } else if let handled = special(call) {
                    output = handled.0
                    done = done || handled.1
                } else {
                    output = await HarnessServer.call(call.name, arguments: call.arguments, tools: tools, context: context)
                }
                let decision = output.isError ? "deny" : "allow"
                log.event(role, "tool_call", ["tool": .string(call.name), "decision": .string(decision),
                                              "paths": call.arguments["path"].map { [$0] } ?? [], "output": .string(String(output.text.prefix(500)))])
                let reply: Value = ["role": "tool", "tool_call_id": .string(call.id), "content": .string(output.text)]
                messages.append(reply)
                log.transcript(role, reply)
            }
            if done { return }
        }
        log.event(role, "budget", ["turns": .int(options.maxTurnsPerRole)])
        throw RunStop(status: .budgetExceeded, message: "the \(role) used all \(options.maxTurnsPerRole) turns")
    }

    static func strings(_ value: Value?) -> [String] {
        if let items = value?.arrayValue { return items.compactMap(\.stringValue) }
        // Lenient: "a, b" or a single string.
        if let text = value?.stringValue {
            if let decoded = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) { return decoded }
            return text.split(whereSeparator: { $0 == "," || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return []
    }
}
