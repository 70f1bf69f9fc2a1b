import Foundation
import MCP

/// What a tool call gets besides its arguments.
public struct ToolContext: Sendable {
    /// The repository the server works on (absolute).
    public var repoRoot: String
    public var role: AgentRole
    /// Extensions that other modules provide (Flux rendering, scaffolding, encryption).
    public var plugins: HarnessPlugins

    public init(repoRoot: String, role: AgentRole, plugins: HarnessPlugins = HarnessPlugins()) {
        self.repoRoot = repoRoot
        self.role = role
        self.plugins = plugins
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
    /// False when a plugin the tool needs is missing: the tool is then not listed.
    func isAvailable(_ context: ToolContext) -> Bool
    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput
}

extension HarnessTool {
    public func isAvailable(_ context: ToolContext) -> Bool { true }

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
