import Bootstrap
import ClusterSpec
import Foundation
import MCP

/// The bootstrap environment the operations tools read through, always in the read-only
/// role: its Proxmox client sends only GET requests and its runner runs only read commands,
/// so the tools below cannot change a host, a node or the cluster whatever they call.
enum OperationsEnvironment {
    static let clusterArgument = Schema.string("A cluster name (config/clusters/NAME.yaml); omit when there is only one.")

    static func make(_ context: ToolContext, cluster: String?) throws -> BootstrapEnvironment {
        let definition = try ClusterDefinition.loadValid(repoRoot: context.repoRoot, cluster: cluster)
        let environment = context.environment.isEmpty ? ProcessInfo.processInfo.environment : context.environment
        return try BootstrapEnvironment.make(repoRoot: context.repoRoot, definition: definition, environment: environment,
                                             printer: { _ in }, keepLog: false).readOnly()
    }

    /// Runs `body` with the read-only environment of the `cluster` argument; any error is the
    /// tool's failure, masked with the secrets the environment knows.
    static func with(_ arguments: [String: Value], _ context: ToolContext,
                     _ body: (BootstrapEnvironment) async throws -> ToolOutput) async -> ToolOutput {
        let environment: BootstrapEnvironment
        do {
            environment = try make(context, cluster: arguments["cluster"]?.stringValue)
        } catch {
            return .failure("\(error)")
        }
        do {
            let output = try await body(environment)
            return ToolOutput(text: environment.log.redact(output.text), structured: output.structured, isError: output.isError)
        } catch {
            return .failure(environment.log.redact("\(error)"))
        }
    }
}

/// Common traits of the operations tools: read-only, every role, only in the read-only role.
protocol OperationsTool: HarnessTool {}

extension OperationsTool {
    var isReadOnly: Bool { true }
    var roles: Set<AgentRole> { Set(AgentRole.allCases) }
    var needsReadOnlyRole: Bool { true }
}
