import AgentHarness
import Contract
import Manifests
import Scaffold
import SOPSCrypto

/// The capabilities other modules lend the harness's MCP tools: app scaffolding (the same code
/// as `homeport new app`) and SOPS encryption (the same as `homeport secrets encrypt`).
/// Flux rendering plugs in here once the Flux module is part of the package.
enum HarnessPluginSet {
    static var available: HarnessPlugins {
        HarnessPlugins(scaffolder: AppScaffolder(), encryptor: SecretEncryptor())
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
