/// A committed file that carries values of a cluster definition: `homeport cluster sync`
/// writes it, and `config.env-drift` / `config.derived-drift` report when it no longer matches.
/// Some are generated whole (env, settings); others are hand-written files in which only the
/// derived values are edited in place (the FluxInstance sync, the marked section of the NAS
/// runbook), so deriving them needs the file's current text.
public enum DerivedFile: String, Sendable, CaseIterable {
    /// `config/env/NAME.env`, for scripts and local tooling.
    case env
    /// The `cluster-settings` ConfigMap beside the Flux entrypoint, for postBuild substitution.
    case settings
    /// `spec.sync` (url, ref, path) of the FluxInstance beside the Flux entrypoint.
    case fluxSync
    /// The marked section of `synology/exports.md`: NAS address, export path, NFS allowlist.
    case nasExports

    /// Where the file lives, relative to the repository root.
    public func path(for definition: ClusterDefinition) -> String {
        switch self {
        case .env: EnvFile.path(forCluster: definition.name)
        case .settings: ClusterSettings.path(for: definition)
        case .fluxSync: FluxInstanceSync.path(for: definition)
        case .nasExports: NASExports.path
        }
    }

    /// Whether the repository must have the file. The others are checked and written only
    /// when they exist: a repository may not substitute from cluster-settings, run the Flux
    /// operator or keep a Synology runbook.
    public var isRequired: Bool { self == .env }

    /// What the file should hold given its `current` text (nil when it does not exist): the
    /// render for generated files, the current text with the derived values set for the
    /// others (nil when such a file does not exist). Throws, with file and line, when the
    /// current text has no place for the values.
    public func expected(_ definition: ClusterDefinition, definitionPath: String, current: String?) throws -> String? {
        let path = path(for: definition)
        switch self {
        case .env:
            return EnvFile.render(definition, definitionPath: definitionPath)
        case .settings:
            return ClusterSettings.render(definition, definitionPath: definitionPath)
        case .fluxSync:
            return try current.map { try FluxInstanceSync.derive(definition, from: $0, path: path) }
        case .nasExports:
            return try current.map { try NASExports.derive(definition, definitionPath: definitionPath, from: $0, path: path) }
        }
    }

    /// The command that rewrites the file.
    public var writeCommand: String {
        switch self {
        case .env, .settings: "homeport cluster \(rawValue) --write"
        case .fluxSync, .nasExports: "homeport cluster sync"
        }
    }
}
