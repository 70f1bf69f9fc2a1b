import ClusterSpec
import Flux
import HomeportCore
import Manifests

/// What rules read: the repository snapshot and what was derived from it once (the contract
/// document, the cluster definitions, the configuration).
public struct RuleContext: Sendable {
    public let snapshot: RepoSnapshot
    public let configuration: Configuration
    /// The layout the contract document allows.
    public let contract: ContractDocument
    /// Every file in `config/clusters/`, loaded and validated once.
    public let clusters: [LoadedClusterDefinition]
    /// The Flux tree from the entrypoint, built once; nil when the repository has none.
    public let flux: FluxAnalysis?
    /// JSON schemas for `k8s.schema`: built-in kinds, catalogs and the repository's CRDs.
    public let schemas: SchemaCatalog

    public init(snapshot: RepoSnapshot, configuration: Configuration = Configuration(), schemaSources: SchemaSources = SchemaSources()) {
        self.init(snapshot: snapshot, configuration: configuration, schemaLoader: SchemaLoader { schemaSources })
    }

    /// Builds the context while `schemaLoader` reads schema files on another thread.
    public init(snapshot: RepoSnapshot, configuration: Configuration, schemaLoader: SchemaLoader) {
        self.snapshot = snapshot
        self.configuration = configuration
        self.flux = FluxAnalysis(snapshot: snapshot)
        self.schemas = SchemaCatalog(sources: schemaLoader.value, snapshot: snapshot)
        self.contract = ContractDocument(file: snapshot.file(ContractDocument.path))
        self.clusters = snapshot.files
            .filter { $0.directory == "config/clusters" && $0.isYAML }
            .map(ClusterDefinitionLoader.load)
    }

    /// YAML files under a folder, with their documents.
    public func yamlFiles(under folder: String) -> [RepoFile] {
        snapshot.files(under: folder).filter(\.isYAML)
    }

    /// Kubernetes-looking documents (apiVersion and kind present) under a folder.
    public func objects(under folder: String) -> [ManifestDocument] {
        yamlFiles(under: folder).flatMap(\.documents).filter(\.isKubernetesObject)
    }
}
