import Contract
import Foundation

/// A hook client whose documented pre-tool-use payload the guard understands.
public enum HookClient: String, Sendable, CaseIterable {
    case claude
    case codex
    case cursor
}

/// What an agent is about to do, independent of the client that asked.
enum ProposedAction: Sendable {
    /// Create or replace a file with known content.
    case write(path: String, content: String)
    /// Replace text in a file: the new content is the old file with the edits applied.
    case edit(path: String, edits: [(old: String, new: String, all: Bool)])
    /// Run a shell command line.
    case command(String)
    /// Read a file.
    case read(path: String)
    /// Codex's `apply_patch`: several files added, changed, moved or deleted at once.
    case patch([ApplyPatch.Operation])
    /// A tool that only reads (search, listing) or is checked elsewhere (homeport's MCP server).
    case harmless(tool: String)
}

/// A parsed hook call.
struct HookRequest: Sendable {
    var event: String
    var tool: String
    /// The directory relative paths in the payload refer to.
    var cwd: String?
    var action: ProposedAction
}

/// Input the guard cannot decide on; it denies it.
struct HookInputError: Error {
    enum Kind {
        /// Not the client's documented payload.
        case malformed
        /// A tool the guard does not know, so it cannot tell whether it writes.
        case unsupportedTool
        /// A client whose payload format is not verified.
        case unsupportedClient
    }

    var message: String
    var kind: Kind = .malformed
}

enum HookPayload {
    /// Parses the JSON one client sends on standard input.
    static func parse(_ data: Data, client: HookClient) throws(HookInputError) -> HookRequest {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw HookInputError(message: "the hook input is not a JSON object")
            }
            object = parsed
        } catch let error as HookInputError {
            throw error
        } catch {
            throw HookInputError(message: "the hook input is not valid JSON")
        }
        switch client {
        case .claude: return try parseClaude(object)
        case .cursor: return try parseCursor(object)
        case .codex: return try parseCodex(object)
        }
    }

    /// Claude Code: `hook_event_name`, `tool_name`, `tool_input`, `cwd` (paths are absolute).
    static func parseClaude(_ object: [String: Any]) throws(HookInputError) -> HookRequest {
        let event = try string(object, "hook_event_name")
        guard event == "PreToolUse" else { throw HookInputError(message: "the guard handles PreToolUse, not \(event)") }
        let tool = try string(object, "tool_name")
        guard let input = object["tool_input"] as? [String: Any] else { throw HookInputError(message: "tool_input is missing or not an object") }
        let cwd = object["cwd"] as? String
        let action: ProposedAction
        switch tool {
        case "Write":
            action = .write(path: try string(input, "file_path"), content: try string(input, "content"))
        case "Edit":
            let all = input["replace_all"] as? Bool ?? false
            action = .edit(path: try string(input, "file_path"), edits: [(try string(input, "old_string"), try string(input, "new_string"), all)])
        case "MultiEdit":
            guard let edits = input["edits"] as? [[String: Any]], !edits.isEmpty else { throw HookInputError(message: "MultiEdit without edits") }
            var parsed: [(old: String, new: String, all: Bool)] = []
            for edit in edits {
                parsed.append((try string(edit, "old_string"), try string(edit, "new_string"), edit["replace_all"] as? Bool ?? false))
            }
            action = .edit(path: try string(input, "file_path"), edits: parsed)
        case "NotebookEdit":
            action = .write(path: try string(input, "notebook_path"), content: input["new_source"] as? String ?? "")
        case "Bash":
            action = .command(try string(input, "command"))
        case "Read":
            action = .read(path: try string(input, "file_path"))
        case "Glob", "Grep", "LS", "WebSearch", "TodoWrite", "Task", "ExitPlanMode", "BashOutput":
            action = .harmless(tool: tool)
        default:
            if tool.hasPrefix("mcp__homeport__") {
                // homeport's own MCP server filters tools by role and checks every call itself.
                action = .harmless(tool: tool)
            } else {
                throw HookInputError(message: tool, kind: .unsupportedTool)
            }
        }
        return HookRequest(event: event, tool: tool, cwd: cwd, action: action)
    }

    /// Cursor: camelCase `hook_event_name`, `workspace_roots`, and per-event fields.
    static func parseCursor(_ object: [String: Any]) throws(HookInputError) -> HookRequest {
        let event = try string(object, "hook_event_name")
        let roots = object["workspace_roots"] as? [String] ?? []
        let cwd = (object["cwd"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? roots.first
        switch event {
        case "beforeShellExecution":
            return HookRequest(event: event, tool: "shell", cwd: cwd, action: .command(try string(object, "command")))
        case "beforeReadFile":
            return HookRequest(event: event, tool: "read", cwd: cwd, action: .read(path: try string(object, "file_path")))
        case "beforeMCPExecution":
            let tool = try string(object, "tool_name")
            let server = (object["command"] as? String ?? "") + " " + (object["url"] as? String ?? "")
            guard server.contains("homeport") || server.contains("ai_harness") else { throw HookInputError(message: tool, kind: .unsupportedTool) }
            return HookRequest(event: event, tool: tool, cwd: cwd, action: .harmless(tool: tool))
        case "preToolUse":
            return try parseCursorTool(object, cwd: cwd)
        default:
            throw HookInputError(message: "the guard handles preToolUse, beforeShellExecution, beforeReadFile and beforeMCPExecution, not \(event)")
        }
    }

    /// Cursor's generic `preToolUse`: `tool_name`, `tool_input` (an object), `tool_use_id`.
    /// Its editing tools name the file `file_path` (older builds: `path`).
    static func parseCursorTool(_ object: [String: Any], cwd: String?) throws(HookInputError) -> HookRequest {
        let event = "preToolUse"
        let tool = try string(object, "tool_name")
        guard let input = object["tool_input"] as? [String: Any] else { throw HookInputError(message: "tool_input is missing or not an object") }
        func path() throws(HookInputError) -> String {
            if let value = input["file_path"] as? String ?? input["path"] as? String, !value.isEmpty { return value }
            throw HookInputError(message: "tool_input.file_path is missing or not a string")
        }
        let action: ProposedAction
        switch tool {
        case "Write":
            action = .write(path: try path(), content: input["content"] as? String ?? input["contents"] as? String ?? "")
        case "Edit", "StrReplace", "MultiEdit":
            if let edits = input["edits"] as? [[String: Any]] {
                var parsed: [(old: String, new: String, all: Bool)] = []
                for edit in edits { parsed.append((try string(edit, "old_string"), try string(edit, "new_string"), edit["replace_all"] as? Bool ?? false)) }
                action = .edit(path: try path(), edits: parsed)
            } else {
                action = .edit(path: try path(), edits: [(try string(input, "old_string"), try string(input, "new_string"), input["replace_all"] as? Bool ?? false)])
            }
        case "Delete":
            action = .patch([.delete(path: try path())])
        case "NotebookEdit":
            action = .write(path: try path(), content: input["new_source"] as? String ?? "")
        case "Shell":
            action = .command(try string(input, "command"))
        case "Read":
            action = .read(path: try path())
        case "Grep", "Glob", "LS", "SemanticSearch", "WebSearch", "WebFetch", "TodoWrite", "Task":
            action = .harmless(tool: tool)
        default:
            if tool.hasPrefix("MCP:homeport:") || tool.hasPrefix("mcp__homeport__") {
                action = .harmless(tool: tool)
            } else {
                throw HookInputError(message: tool, kind: .unsupportedTool)
            }
        }
        return HookRequest(event: event, tool: tool, cwd: cwd, action: action)
    }

    /// Codex: the Claude-style PreToolUse payload (`session_id`, `turn_id`, `transcript_path`,
    /// `cwd`, `model`, `permission_mode`, `tool_name`, `tool_use_id`, `tool_input`). Shell
    /// calls arrive as `Bash` and patches as `apply_patch`, both with `tool_input.command`
    /// (for `apply_patch`, the patch text); MCP tools as `mcp__SERVER__TOOL` with their arguments.
    static func parseCodex(_ object: [String: Any]) throws(HookInputError) -> HookRequest {
        let event = try string(object, "hook_event_name")
        guard event == "PreToolUse" else { throw HookInputError(message: "the guard handles PreToolUse, not \(event)") }
        let tool = try string(object, "tool_name")
        guard let input = object["tool_input"] as? [String: Any] else { throw HookInputError(message: "tool_input is missing or not an object") }
        let cwd = object["cwd"] as? String
        let action: ProposedAction
        switch tool {
        case "Bash":
            action = .command(try string(input, "command"))
        case "apply_patch":
            action = .patch(try ApplyPatch.parse(try string(input, "command")))
        default:
            if tool.hasPrefix("mcp__\(AgentClientConfig.serverName)__") {
                action = .harmless(tool: tool)
            } else {
                throw HookInputError(message: tool, kind: .unsupportedTool)
            }
        }
        return HookRequest(event: event, tool: tool, cwd: cwd, action: action)
    }

    private static func string(_ object: [String: Any], _ key: String) throws(HookInputError) -> String {
        guard let value = object[key] as? String else { throw HookInputError(message: "\(key) is missing or not a string") }
        return value
    }
}
