import Contract
import Foundation
import MCP

/// `homeport ai mcp`: the harness as an MCP server. Tools are filtered by role when the server
/// starts and checked again on every call; no tool can apply anything to a cluster.
public struct HarnessServer: Sendable {
    public var context: ToolContext
    public var tools: [any HarnessTool]

    public init(context: ToolContext, tools: [any HarnessTool] = HarnessToolbox.all) {
        self.context = context
        self.tools = HarnessToolbox.tools(for: context, from: tools)
    }

    static let contractURI = "homeport://contract"
    static let rulesURI = "homeport://rules"
    static let policyURI = "homeport://agent-policy"

    /// Builds the MCP server with its handlers.
    public func makeServer() async -> Server {
        let server = Server(
            name: "homeport", version: "0.1.0",
            instructions: "The repo contract is law here. \(AgentPolicyText.summary) Call `check` before you finish.",
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false))
        )
        let tools = self.tools
        let context = self.context
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: tools.map(\.mcpTool))
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            let output = await Self.call(parameters.name, arguments: parameters.arguments ?? [:], tools: tools, context: context)
            Self.audit(parameters.name, arguments: parameters.arguments ?? [:], output: output, context: context)
            return CallTool.Result(content: [.text(text: output.text, annotations: nil, _meta: nil)],
                                   structuredContent: output.structured, isError: output.isError)
        }
        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: [
                Resource(name: "contract", uri: Self.contractURI, description: "docs/repo-contract.md, the law of the repository", mimeType: "text/markdown"),
                Resource(name: "rules", uri: Self.rulesURI, description: "The rules of homeport check, as JSON", mimeType: "application/json"),
                Resource(name: "agent-policy", uri: Self.policyURI, description: "What agents may write and run", mimeType: "text/plain"),
            ])
        }
        await server.withMethodHandler(ReadResource.self) { parameters in
            switch parameters.uri {
            case Self.contractURI:
                let text = (try? String(contentsOfFile: context.repoRoot + "/" + ContractDocument.path, encoding: .utf8)) ?? ""
                return ReadResource.Result(contents: [.text(text, uri: parameters.uri, mimeType: "text/markdown")])
            case Self.rulesURI:
                return ReadResource.Result(contents: [.text(RuleCatalogue.json(RuleRegistry.all.map { $0.description }), uri: parameters.uri, mimeType: "application/json")])
            case Self.policyURI:
                return ReadResource.Result(contents: [.text(AgentPolicyText.summary, uri: parameters.uri, mimeType: "text/plain")])
            default:
                throw MCPError.invalidParams("unknown resource \(parameters.uri)")
            }
        }
        return server
    }

    /// Calls a tool after checking, again, that the role may use it. Secret values are masked
    /// here, before the answer reaches a client, `ai run`'s model or the audit log.
    static func call(_ name: String, arguments: [String: Value], tools: [any HarnessTool], context: ToolContext) async -> ToolOutput {
        SecretMask(environment: context.environment).apply(await callUnmasked(name, arguments: arguments, tools: tools, context: context))
    }

    private static func callUnmasked(_ name: String, arguments: [String: Value], tools: [any HarnessTool], context: ToolContext) async -> ToolOutput {
        guard let tool = tools.first(where: { $0.name == name }) else {
            let exists = HarnessToolbox.all.contains { $0.name == name }
            return .failure(exists
                ? "denied: the \(context.roleName) role may not call \(name); its tools are \(tools.map(\.name).joined(separator: ", "))"
                : "no tool \(name)")
        }
        guard tool.isServed(in: context) else {
            return .failure("denied: the \(context.roleName) role may not call \(name)")
        }
        return await tool.call(arguments, context: context)
    }

    /// One line per tool call in `logs/ai/mcp.jsonl`: tool, role, paths, outcome; never
    /// file content or tool output beyond a redacted error reason.
    static func audit(_ tool: String, arguments: [String: Value], output: ToolOutput, context: ToolContext) {
        struct Entry: Encodable {
            var ts: String
            var role: String
            /// Present (true) for calls in the `--read-only` role.
            var readOnly: Bool?
            var tool: String
            var decision: String
            var paths: [String]
            var reason: String?
        }
        let paths = (arguments["path"]?.stringValue.map { [$0] } ?? []) + (arguments["paths"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let entry = Entry(ts: ISO8601DateFormatter().string(from: Date()), role: context.role.rawValue, readOnly: context.readOnly ? true : nil, tool: tool,
                          decision: output.isError ? "error" : "ok", paths: paths,
                          reason: output.isError ? Redactor.redact(String(output.text.prefix(300))) : nil)
        // The tool already ran; a log that cannot be written must not turn its answer into a lie.
        try? DecisionLog.appendLine(entry, to: AgentPolicy.mcpLogPath, root: context.repoRoot)
    }

    /// Serves over standard input and output until the client disconnects.
    public func serveStdio() async throws {
        let server = await makeServer()
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }
}
