import AgentHarness
import Contract
import Flux
import HomeportCore
import Manifests
import Scaffold
import SOPSCrypto

/// The capabilities other modules lend the harness's MCP tools: app scaffolding (the same code
/// as `homeport new app`), SOPS encryption (the same as `homeport secrets encrypt`) and Flux
/// rendering (the same as `homeport flux tree|build`).
enum HarnessPluginSet {
    static var available: HarnessPlugins {
        HarnessPlugins(flux: FluxRenderer(), scaffolder: AppScaffolder(), encryptor: SecretEncryptor())
    }
}

/// `homeport flux tree` and `homeport flux build` for agents.
struct FluxRenderer: FluxRendering {
    func tree(repoRoot: String) throws -> String {
        FluxTreeFormat.text(try fluxTree(repoRoot))
    }

    /// `path` names a Flux Kustomization, or the folder one reconciles.
    func build(repoRoot: String, path: String) throws -> String {
        let tree = try fluxTree(repoRoot)
        let folder = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        guard let kustomization = tree.kustomizations.first(where: { $0.reference.name == path || $0.path == folder }) else {
            throw HomeportError.usage("no Flux Kustomization named or reconciling '\(path)'; flux_tree lists them")
        }
        return FluxTreeFormat.build(kustomization)
    }

    private func fluxTree(_ root: String) throws -> FluxTree {
        let snapshot = try RepoScanner().scan(root: root)
        guard let entrypoint = FluxEntrypoint.resolve(snapshot, cluster: nil) else {
            throw HomeportError.usage("no Flux entrypoint: set flux.path in config/clusters/")
        }
        return FluxTreeBuilder(snapshot: snapshot).build(entrypoint: entrypoint)
    }
}

/// `homeport new app NAME` without a chart, followed by the docs regeneration the command does.
struct AppScaffolder: AppScaffolding {
    func scaffoldApp(repoRoot: String, name: String) throws -> [String] {
        let plan = try Scaffolder(snapshot: RepoScanner().scan(root: repoRoot)).planApp(name: name, chart: nil)
        try plan.apply(root: repoRoot)
        var paths = plan.files.map(\.path)
        if try DocsRunner.write(repoRoot: repoRoot) { paths.append(ArchitectureDocs.path) }
        return paths
    }
}

/// Encrypts in place with the recipients of the repository's `.sops.yaml` rule for the file.
struct SecretEncryptor: SecretEncrypting {
    func encryptInPlace(repoRoot: String, path: String) throws {
        let operations = SecretsOperations(configPath: repoRoot + "/.sops.yaml")
        _ = try operations.encrypt(repoRoot + "/" + path, inPlace: true)
    }
}
