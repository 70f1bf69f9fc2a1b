import Foundation
import MCP

/// What a tool call gets besides its arguments.
public struct ToolContext: Sendable {
    /// The repository the server works on (absolute).
    public var repoRoot: String
    public var role: AgentRole
    /// Extensions that other modules provide (Flux rendering, scaffolding, encryption).
    public var plugins: HarnessPlugins
    /// The `--read-only` role: only read-only tools, plus the operations tools that read the
    /// cluster through a read-only Proxmox client and command runner.
    public var readOnly: Bool
    /// The server's environment: programs' PATH, the Proxmox token secret, values to mask.
    public var environment: [String: String]

    public init(repoRoot: String, role: AgentRole, plugins: HarnessPlugins = HarnessPlugins(), readOnly: Bool = false,
                environment: [String: String] = [:]) {
        self.repoRoot = repoRoot
        self.role = role
        self.plugins = plugins
        self.readOnly = readOnly
        self.environment = environment
    }
}

/// A tool's answer: text for the model, optional structured JSON, and whether it failed.
public struct ToolOutput: Sendable {
    public var text: String
    public var structured: Value?
    public var isError: Bool

    public init(text: String, structured: Value? = nil, isError: Bool = false) {
        self.text = text
        self.structured = structured
        self.isError = isError
    }

    public static func failure(_ text: String) -> ToolOutput {
        ToolOutput(text: text, isError: true)
    }
}

/// One tool of the harness. The MCP server and `homeport ai run` list and call the same
/// values, so a tool behaves the same whether a client or the loop calls it.
public protocol HarnessTool: Sendable {
    /// `^[a-zA-Z0-9_-]{1,64}$`, as model APIs require.
    var name: String { get }
    var summary: String { get }
    /// JSON Schema of the arguments.
    var inputSchema: Value { get }
    /// True when the tool changes nothing (it gets the read-only annotation).
    var isReadOnly: Bool { get }
    /// The roles that may call it.
    var roles: Set<AgentRole> { get }
    /// True for the operations tools, which reach the cluster: listed only in the `--read-only` role.
    var needsReadOnlyRole: Bool { get }
    /// False when a plugin the tool needs is missing: the tool is then not listed.
    func isAvailable(_ context: ToolContext) -> Bool
    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput
}

extension HarnessTool {
    public func isAvailable(_ context: ToolContext) -> Bool { true }
    public var needsReadOnlyRole: Bool { false }

    /// Whether the tool is served in `context`: its role, the read-only role, its plugins.
    func isServed(in context: ToolContext) -> Bool {
        guard roles.contains(context.role), isAvailable(context) else { return false }
        return context.readOnly ? isReadOnly : !needsReadOnlyRole
    }

    /// The MCP description of the tool, with annotations that say what it may change.
    public var mcpTool: Tool {
        Tool(name: name, description: summary, inputSchema: inputSchema,
             annotations: .init(title: nil, readOnlyHint: isReadOnly, destructiveHint: false,
                                idempotentHint: isReadOnly, openWorldHint: false))
    }
}

/// Renders a `Codable` value as structured tool content.
enum StructuredValue {
    static func from<T: Encodable>(_ value: T) -> Value? {
        guard let data = try? JSONEncoder().encode(value) else { return nil }
        return try? JSONDecoder().decode(Value.self, from: data)
    }

    static func from(json text: String) -> Value? {
        try? JSONDecoder().decode(Value.self, from: Data(text.utf8))
    }
}

/// Schema helpers: a small DSL for the JSON Schemas of tool arguments.
enum Schema {
    static func object(_ properties: [String: Value], required: [String] = []) -> Value {
        ["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }), "additionalProperties": false]
    }

    static func string(_ description: String) -> Value {
        ["type": "string", "description": .string(description)]
    }

    static func strings(_ description: String) -> Value {
        ["type": "array", "items": ["type": "string"], "description": .string(description)]
    }
}

extension ToolContext {
    /// The role as messages name it, e.g. `planner` or `read-only planner`.
    var roleName: String { readOnly ? "read-only \(role.rawValue)" : role.rawValue }
}
