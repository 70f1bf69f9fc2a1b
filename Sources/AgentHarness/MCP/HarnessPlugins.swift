/// Renders what Flux would apply (provided by the Flux module).
public protocol FluxRendering: Sendable {
    /// The Kustomization tree Flux reconciles, as text.
    func tree(repoRoot: String) throws -> String
    /// The rendered manifests of one Kustomization path, as YAML.
    func build(repoRoot: String, path: String) throws -> String
}

/// Scaffolds a new app folder the way `homeport new app` does (provided by its module).
public protocol AppScaffolding: Sendable {
    /// Creates the app and returns the repo-relative paths it wrote.
    func scaffoldApp(repoRoot: String, name: String) throws -> [String]
}

/// Encrypts a secret file in place per `.sops.yaml` (provided by the SOPS module). The
/// answer never holds a secret value.
public protocol SecretEncrypting: Sendable {
    func encryptInPlace(repoRoot: String, path: String) throws
}

/// Capabilities that modules other than AgentHarness provide. The command line fills these
/// in; a tool whose capability is missing is simply not listed.
public struct HarnessPlugins: Sendable {
    public var flux: (any FluxRendering)?
    public var scaffolder: (any AppScaffolding)?
    public var encryptor: (any SecretEncrypting)?

    public init(flux: (any FluxRendering)? = nil, scaffolder: (any AppScaffolding)? = nil, encryptor: (any SecretEncrypting)? = nil) {
        self.flux = flux
        self.scaffolder = scaffolder
        self.encryptor = encryptor
    }
}
