import Manifests

/// A parsed kustomization file (`kind: Kustomization` or `kind: Component`).
public struct KustomizationSpec: Sendable {
    /// A string list entry and the line it was written on.
    public struct Entry: Sendable {
        public var value: String
        public var line: Int?

        public init(value: String, line: Int?) {
            self.value = value
            self.line = line
        }
    }

    public enum SortOrder: Sendable {
        case legacy(first: [String]?, last: [String]?)
        case fifo
    }

    /// The file (may be a synthetic path for generated kustomizations).
    public var path: String
    /// The directory paths inside it are relative to.
    public var directory: String
    public var node: YAMLNode
    public var kind: String
    public var resources: [Entry] = []
    public var components: [Entry] = []
    public var sortOrder: SortOrder = .legacy(first: nil, last: nil)

    static let knownFields: Set<String> = [
        "apiVersion", "kind", "metadata", "resources", "bases", "components", "namespace", "namePrefix", "nameSuffix",
        "commonLabels", "labels", "commonAnnotations", "patches", "patchesStrategicMerge", "patchesJson6902",
        "images", "replicas", "configMapGenerator", "secretGenerator", "generatorOptions", "replacements",
        "sortOptions", "buildMetadata", "openapi", "crds", "configurations", "generators", "transformers",
        "validators", "helmCharts", "helmGlobals", "helmChartInflationGenerator", "vars",
    ]
    /// Fields homeport reads but cannot honour: using them is an error, never silently wrong output.
    static let unsupportedFields: [String: String] = [
        "helmCharts": "Helm chart inflation needs helm and the network",
        "helmGlobals": "Helm chart inflation needs helm and the network",
        "helmChartInflationGenerator": "Helm chart inflation needs helm and the network",
        "generators": "generator plugins are not run (kustomize-controller does not run them either)",
        "transformers": "transformer plugins are not run (kustomize-controller does not run them either)",
        "validators": "validator plugins are not run",
        "configurations": "custom transformer configurations are not supported",
        "crds": "custom CRD name-reference configurations are not supported",
        "openapi": "custom OpenAPI schemas are not supported",
        "vars": "vars are deprecated and not supported; use replacements",
    ]

    /// The apiVersion each kind must have (an empty one is filled in), with kubectl's wording.
    static let apiVersions = ["Kustomization": "kustomize.config.k8s.io/v1beta1", "Component": "kustomize.config.k8s.io/v1alpha1"]

    /// Refuses what `kubectl kustomize` (and so Flux) refuses: another kind, or the wrong
    /// apiVersion for the kind (`kustomize.config.k8s.io/v1` does not exist).
    static func checkTypeMeta(_ node: YAMLNode, kind: String, path: String) throws {
        let kindText = kind.isEmpty ? "Kustomization" : kind
        guard let expected = apiVersions[kindText] else {
            throw KustomizeError("kind should be Kustomization or Component", path: path, mark: node["kind"]?.mark)
        }
        if let apiVersion = node["apiVersion"]?.string, !apiVersion.isEmpty, apiVersion != expected {
            throw KustomizeError("apiVersion for \(kindText) should be \(expected)", path: path, mark: node["apiVersion"]?.mark)
        }
    }

    public init(node: YAMLNode, path: String, directory: String? = nil) throws {
        self.path = path
        self.directory = directory ?? KustomizePath.directory(of: path)
        self.node = node
        guard let mapping = node.mapping else {
            throw KustomizeError("a kustomization must be a mapping", path: path, mark: node.mark)
        }
        kind = node["kind"]?.string ?? "Kustomization"
        try Self.checkTypeMeta(node, kind: kind, path: path)
        for entry in mapping.entries {
            let key = entry.key.scalar?.value ?? ""
            guard Self.knownFields.contains(key) else {
                throw KustomizeError("unknown field '\(key)' in the kustomization", path: path, mark: entry.key.mark)
            }
            if let reason = Self.unsupportedFields[key], !Self.isEmpty(entry.value) {
                throw KustomizeError("'\(key)' is not supported: \(reason)", path: path, mark: entry.key.mark)
            }
        }
        resources = try Self.entries(node, "bases", path: path) + Self.entries(node, "resources", path: path)
        components = try Self.entries(node, "components", path: path)
        if let sort = node["sortOptions"] {
            switch sort["order"]?.string {
            case "fifo": sortOrder = .fifo
            case "legacy", nil:
                let first = sort[path: "legacySortOptions.orderFirst"]?.sequence?.items.compactMap(\.string)
                let last = sort[path: "legacySortOptions.orderLast"]?.sequence?.items.compactMap(\.string)
                sortOrder = .legacy(first: first, last: last)
            case let other?:
                throw KustomizeError("unknown sortOptions.order '\(other)' (use legacy or fifo)", path: path, mark: sort["order"]?.mark)
            }
        }
    }

    static func isEmpty(_ node: YAMLNode) -> Bool {
        node.isNull || node.sequence?.items.isEmpty == true || node.mapping?.entries.isEmpty == true
    }

    static func entries(_ node: YAMLNode, _ key: String, path: String) throws -> [Entry] {
        guard let value = node[key], !value.isNull else { return [] }
        guard let sequence = value.sequence else {
            throw KustomizeError("'\(key)' must be a list", path: path, mark: value.mark)
        }
        return try sequence.items.map { item in
            guard let text = item.string else {
                throw KustomizeError("entries of '\(key)' must be strings", path: path, mark: item.mark)
            }
            return Entry(value: text, line: item.mark.line)
        }
    }

    /// A string field.
    func string(_ key: String) -> String? { node[key]?.string }
}
