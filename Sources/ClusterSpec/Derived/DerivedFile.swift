/// A file that derives from a cluster definition and is committed: homeport writes it, and
/// `config.env-drift` reports when it no longer matches.
public enum DerivedFile: String, Sendable, CaseIterable {
    /// `config/env/NAME.env`, for scripts and local tooling.
    case env
    /// The `cluster-settings` ConfigMap beside the Flux entrypoint, for postBuild substitution.
    case settings

    /// Where the file lives, relative to the repository root.
    public func path(for definition: ClusterDefinition) -> String {
        switch self {
        case .env: EnvFile.path(forCluster: definition.name)
        case .settings: ClusterSettings.path(for: definition)
        }
    }

    /// What the definition derives.
    public func render(_ definition: ClusterDefinition, definitionPath: String? = nil) -> String {
        switch self {
        case .env: EnvFile.render(definition, definitionPath: definitionPath)
        case .settings: ClusterSettings.render(definition, definitionPath: definitionPath)
        }
    }

    /// The command that rewrites the file.
    public var writeCommand: String {
        "homeport cluster \(rawValue) --write"
    }
}
