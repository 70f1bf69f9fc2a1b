import Foundation

/// The agent-client files `homeport ai init` writes, all derived from ``AgentPolicy``:
/// MCP server entries, hook settings and the agent section of `AGENTS.md`. The
/// `ai.config-drift` rule compares the repository's copies with these values.
public enum AgentClientConfig {
    /// The MCP server's name in client configs; Claude Code names its tools `mcp__homeport__…`.
    public static let serverName = "homeport"
    /// The wrapper clients start (it finds or builds the binary and fails closed).
    public static let wrapper = "scripts/ai_harness.sh"

    /// One generated file.
    public struct File: Sendable {
        public var path: String
        /// The part of the file homeport owns, as a JSON value or TOML text.
        public var ownedPart: OwnedPart
        public var content: String

        public init(path: String, ownedPart: OwnedPart, content: String) {
            self.path = path
            self.ownedPart = ownedPart
            self.content = content
        }
    }

    /// What homeport owns in a file that may hold other entries too.
    public enum OwnedPart: Sendable {
        /// `object[keyPath]` must equal the value (JSON files).
        case jsonValue(keyPath: [String], value: JSONValue)
        /// `object[keyPath]` must be an array containing each value (JSON hook lists).
        case jsonArrayElements([(keyPath: [String], value: JSONValue)])
        /// The text must contain this block (TOML).
        case textBlock(String)
        /// The whole file is generated (the pull-request workflow).
        case wholeFile
    }

    static var mcpEntry: JSONValue {
        .object(["command": .string(wrapper), "args": .array([.string("mcp"), .string("--role"), .string("engineer")])])
    }

    /// Where generated files go: the repository, or the user's home for hooks that serve
    /// every repository (they let calls outside a homeport repository through).
    public enum Scope: Sendable, Equatable {
        case project
        /// User-level hooks run this homeport binary, by absolute path.
        case user(binary: String)

        func location(client: String) -> HookCommand.Location {
            switch self {
            case .project: .projectWrapper(rootExpression: HookCommand.projectRoot(for: client))
            case .user(let binary): .binary(binary)
            }
        }
    }

    /// Claude Code: every editing tool, Bash, Read and MCP tools pass the guard.
    static func claudeHookGroup(_ scope: Scope) -> JSONValue {
        .object([
            "matcher": .string("Write|Edit|MultiEdit|NotebookEdit|Bash|Read|mcp__.*"),
            "hooks": .array([.object([
                "type": .string("command"),
                "command": .string(HookCommand.guardCommand(client: "claude", location: scope.location(client: "claude"))),
                "timeout": .number(30),
            ])]),
        ])
    }

    /// Cursor's events the guard answers. `preToolUse` covers the editing tools (its shell,
    /// MCP and read calls have their own events); `failClosed` makes Cursor deny when the hook
    /// itself fails.
    static let cursorEvents: [(event: String, matcher: String?)] = [
        ("preToolUse", "Write|Edit|StrReplace|MultiEdit|Delete|NotebookEdit"),
        ("beforeShellExecution", nil),
        ("beforeMCPExecution", nil),
        ("beforeReadFile", nil),
    ]

    static func cursorHooks(_ scope: Scope) -> [(keyPath: [String], value: JSONValue)] {
        let command = JSONValue.string(HookCommand.guardCommand(client: "cursor", location: scope.location(client: "cursor")))
        return cursorEvents.map { event in
            var entry: [String: JSONValue] = ["command": command, "failClosed": .bool(true)]
            if let matcher = event.matcher { entry["matcher"] = .string(matcher) }
            return (["hooks", event.event], .object(entry))
        }
    }

    /// Codex: PreToolUse for shell commands, `apply_patch` (its edit tool) and MCP tools.
    static func codexHookGroup(_ scope: Scope) -> JSONValue {
        .object([
            "matcher": .string("Bash|apply_patch|mcp__.*"),
            "hooks": .array([.object([
                "type": .string("command"),
                "command": .string(HookCommand.guardCommand(client: "codex", location: scope.location(client: "codex"))),
                "timeout": .number(30),
            ])]),
        ])
    }

    static var codexBlock: String {
        "[mcp_servers.\(serverName)]\ncommand = \"\(wrapper)\"\nargs = [\"mcp\", \"--role\", \"engineer\"]\n"
    }

    /// Every generated client file of the repository, in the order `ai init` writes them.
    public static var files: [File] { files(for: .project) }

    /// The generated files of a scope; user-level files are relative to the home directory
    /// and hold only the hooks (MCP servers belong to a repository).
    public static func files(for scope: Scope) -> [File] {
        let cursorHooks = cursorHooks(scope)
        var cursorHooksObject: [String: JSONValue] = [:]
        for hook in cursorHooks { cursorHooksObject[hook.keyPath[1]] = .array([hook.value]) }
        let claude = claudeHookGroup(scope)
        let codex = codexHookGroup(scope)
        let hookFiles = [
            File(path: ".claude/settings.json", ownedPart: .jsonArrayElements([(["hooks", "PreToolUse"], claude)]),
                 content: JSONValue.object(["hooks": .object(["PreToolUse": .array([claude])])]).rendered),
            File(path: ".cursor/hooks.json", ownedPart: .jsonArrayElements(cursorHooks),
                 content: JSONValue.object(["version": .number(1), "hooks": .object(cursorHooksObject)]).rendered),
            File(path: ".codex/hooks.json", ownedPart: .jsonArrayElements([(["hooks", "PreToolUse"], codex)]),
                 content: JSONValue.object(["hooks": .object(["PreToolUse": .array([codex])])]).rendered),
        ]
        guard scope == .project else { return hookFiles }
        let mcpServers = JSONValue.object(["mcpServers": .object([serverName: mcpEntry])]).rendered
        return [
            File(path: ".mcp.json", ownedPart: .jsonValue(keyPath: ["mcpServers", serverName], value: mcpEntry), content: mcpServers),
            hookFiles[0],
            hookFiles[1],
            File(path: ".cursor/mcp.json", ownedPart: .jsonValue(keyPath: ["mcpServers", serverName], value: mcpEntry), content: mcpServers),
            hookFiles[2],
            File(path: ".codex/config.toml", ownedPart: .textBlock(codexBlock), content: codexBlock),
        ]
    }

    // MARK: - AGENTS.md

    public static let agentsPath = "AGENTS.md"
    public static let beginMarker = "<!-- homeport:ai-begin: generated by `homeport ai init` from the contract; edit the contract, not this section -->"
    public static let endMarker = "<!-- homeport:ai-end -->"

    /// The generated section, markers included.
    public static var agentsSection: String {
        let layers = AgentPolicy.writableLayers.map { "`\($0)/`" }.joined(separator: ", ")
        let forbidden = AgentPolicy.forbiddenCommands.map { "`\($0.program) \($0.verbs.sorted().joined(separator: "|"))`" }.joined(separator: ", ")
        return """
        \(beginMarker)
        ## Agent harness

        - Writable layers: \(layers). Everything else is written by humans.
        - Never run \(forbidden); never decrypt secrets to files.
        - Every write and shell command passes `\(wrapper) guard` (a pre-tool-use hook): it denies
          writes outside the layers, new top-level directories and plaintext secrets, and any
          shell command it cannot fully inspect.
        - The MCP server `\(serverName)` (`\(wrapper) mcp --role planner|engineer|executor`) serves the
          contract, `check` (also on a proposed diff), the tasks of `ai/tasks.md` and a guarded `write_file`.
        - Decisions are logged to `\(AgentPolicy.hookLogPath)`.
        \(endMarker)
        """
    }

    /// `AGENTS.md` with the generated section replaced, or appended when absent.
    public static func updatingAgents(_ text: String?) -> String {
        let current = text ?? "# Instructions for agents\n"
        if let begin = current.range(of: beginMarker), let end = current.range(of: endMarker, range: begin.upperBound..<current.endIndex) {
            return String(current[..<begin.lowerBound]) + agentsSection + String(current[end.upperBound...])
        }
        return current + (current.hasSuffix("\n\n") ? "" : current.hasSuffix("\n") ? "\n" : "\n\n") + agentsSection + "\n"
    }
}

/// A small JSON value for generated configs: deterministic rendering (sorted keys) and
/// structural comparison with parsed files.
public indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses Foundation's JSON objects.
    public init?(any value: Any) {
        switch value {
        case let text as String: self = .string(text)
        case let number as NSNumber:
            // Booleans arrive as NSNumber too; their type code tells them apart.
            let kind = String(cString: number.objCType)
            self = kind == "c" || kind == "B" ? .bool(number.boolValue) : .number(number.doubleValue)
        case let flag as Bool: self = .bool(flag)
        case is NSNull: self = .null
        case let array as [Any]:
            let items = array.compactMap(JSONValue.init(any:))
            guard items.count == array.count else { return nil }
            self = .array(items)
        case let object as [String: Any]:
            var result: [String: JSONValue] = [:]
            for (key, item) in object {
                guard let parsed = JSONValue(any: item) else { return nil }
                result[key] = parsed
            }
            self = .object(result)
        default: return nil
        }
    }

    /// Parses JSON text.
    public static func parse(_ text: String) -> JSONValue? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else { return nil }
        return JSONValue(any: object)
    }

    public subscript(path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path {
            guard case .object(let object)? = current else { return nil }
            current = object[key]
        }
        return current
    }

    /// Sets a value at a key path, creating objects on the way.
    public mutating func set(_ value: JSONValue, at path: [String]) {
        guard let key = path.first else {
            self = value
            return
        }
        var object: [String: JSONValue] = [:]
        if case .object(let existing) = self { object = existing }
        var child = object[key] ?? .object([:])
        child.set(value, at: Array(path.dropFirst()))
        object[key] = child
        self = .object(object)
    }

    /// Two-space indented JSON with sorted keys and a final newline.
    public var rendered: String {
        render(indent: "") + "\n"
    }

    private func render(indent: String) -> String {
        let inner = indent + "  "
        switch self {
        case .string(let text):
            let data = (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.render(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let object):
            if object.isEmpty { return "{}" }
            return "{\n" + object.keys.sorted().map { key in
                inner + JSONValue.string(key).render(indent: inner) + ": " + (object[key] ?? .null).render(indent: inner)
            }.joined(separator: ",\n") + "\n" + indent + "}"
        }
    }
}
