import Foundation
import MCP

/// `flux_tree` and `flux_build`: what Flux will apply, when the Flux module is plugged in.
struct FluxTreeTool: HarnessTool {
    let name = "flux_tree"
    let summary = "The Flux Kustomization tree of the repository."
    let inputSchema = Schema.object([:])
    let isReadOnly = true
    let roles = Set(AgentRole.allCases)

    func isAvailable(_ context: ToolContext) -> Bool { context.plugins.flux != nil }

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        guard let flux = context.plugins.flux else { return .failure("flux rendering is not available in this build") }
        do { return ToolOutput(text: try flux.tree(repoRoot: context.repoRoot)) } catch { return .failure("\(error)") }
    }
}

struct FluxBuildTool: HarnessTool {
    let name = "flux_build"
    let summary = "Renders the manifests Flux would apply for one Kustomization path (nothing is applied)."
    let inputSchema = Schema.object(["path": Schema.string("Repo-relative folder, e.g. cluster/kubernetes/apps.")], required: ["path"])
    let isReadOnly = true
    let roles = Set(AgentRole.allCases)

    func isAvailable(_ context: ToolContext) -> Bool { context.plugins.flux != nil }

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        guard let flux = context.plugins.flux else { return .failure("flux rendering is not available in this build") }
        guard let path = arguments["path"]?.stringValue else { return .failure("`path` is required") }
        do { return ToolOutput(text: try flux.build(repoRoot: context.repoRoot, path: path)) } catch { return .failure("\(error)") }
    }
}

/// `new_app`: scaffolds an app folder, the same code as `homeport new app`.
struct NewAppTool: HarnessTool {
    let name = "new_app"
    let summary = "Scaffolds cluster/kubernetes/apps/NAME (namespace, kustomization) and registers it, like `homeport new app NAME`."
    let inputSchema = Schema.object(["name": Schema.string("The app name: lowercase kebab-case, also its namespace.")], required: ["name"])
    let isReadOnly = false
    let roles: Set<AgentRole> = [.engineer]

    func isAvailable(_ context: ToolContext) -> Bool { context.plugins.scaffolder != nil }

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        guard let scaffolder = context.plugins.scaffolder else { return .failure("scaffolding is not available in this build") }
        guard let name = arguments["name"]?.stringValue else { return .failure("`name` is required") }
        do {
            let written = try scaffolder.scaffoldApp(repoRoot: context.repoRoot, name: name)
            return ToolOutput(text: "wrote " + written.joined(separator: ", "))
        } catch {
            return .failure("\(error)")
        }
    }
}

/// `secrets_encrypt`: encrypts a file in place per `.sops.yaml`; never returns values.
struct SecretsEncryptTool: HarnessTool {
    let name = "secrets_encrypt"
    let summary = "Encrypts a *.sops.yaml file in place with the recipients of .sops.yaml. The answer never contains secret values."
    let inputSchema = Schema.object(["path": Schema.string("Repo-relative path of the file to encrypt.")], required: ["path"])
    let isReadOnly = false
    let roles: Set<AgentRole> = [.engineer]

    func isAvailable(_ context: ToolContext) -> Bool { context.plugins.encryptor != nil }

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        guard let encryptor = context.plugins.encryptor else { return .failure("encryption is not available in this build") }
        guard let path = arguments["path"]?.stringValue else { return .failure("`path` is required") }
        let policy = WritePolicy(root: context.repoRoot)
        guard case .success(let relative?) = policy.check(write: path, from: policy.resolver.root) else {
            return .failure("denied: \(path) is outside the agent-writable layers")
        }
        do {
            try encryptor.encryptInPlace(repoRoot: policy.resolver.root, path: relative)
            return ToolOutput(text: "encrypted \(relative)")
        } catch {
            return .failure("could not encrypt \(relative): \(error)")
        }
    }
}
