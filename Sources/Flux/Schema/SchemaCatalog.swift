import Foundation
import Kustomize
import Manifests

/// Schema files read from disk before a check (rules never read the disk): Kubernetes schemas
/// from a kubeconform-style directory and CRD catalogs laid out as `{group}/{kind}_{version}.json`.
/// They add to, or override, the schemas built into the binary (``BuiltinSchemas``).
public struct SchemaSources: Sendable {
    /// Decoded schema files keyed by `group/version/kind` (group empty for the core group).
    var builtin: [String: SchemaFile] = [:]
    var catalog: [String: SchemaFile] = [:]
    var definitions: DefinitionTable?
    /// The directories that were searched (empty when none was configured).
    public var locations: [String] = []
    /// The built-in schema directory chosen for the cluster's Kubernetes version.
    public var builtinDirectory: String?
    /// The Kubernetes version asked for (`--kubernetes-version`); nil means the cluster
    /// definition's `talos.kubernetesVersion`, else the newest built-in minor.
    public var kubernetesVersion: String?
    /// Whether the schemas carried in the binary are used after the locations.
    public var usesBuiltins = true

    public init(kubernetesVersion: String? = nil) {
        self.kubernetesVersion = kubernetesVersion
    }

    /// `$XDG_CACHE_HOME/homeport/schemas` (or `~/.cache/homeport/schemas`): schema directories
    /// placed there are used by every check.
    public static var defaultCacheDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
        return cache + "/homeport/schemas"
    }

    struct SchemaFile: @unchecked Sendable {
        var json: Any
        var path: String
    }

    /// Reads the schemas of the given kinds from the locations. A location is either a
    /// kubeconform-style directory (`*-v1.json` files and `_definitions.json`, or version
    /// subdirectories such as `v1.36.0-local-strict`) or a CRD catalog (`{group}/{kind}_{version}.json`).
    public static func load(locations: [String], kubernetesVersion: String?, kinds: Set<GroupVersionKind>) -> SchemaSources {
        var sources = SchemaSources(kubernetesVersion: kubernetesVersion)
        sources.locations = locations
        let fileManager = FileManager.default
        for location in locations {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: location, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let builtinDirectory = Self.builtinDirectory(in: location, kubernetesVersion: kubernetesVersion)
            if let builtinDirectory, sources.builtinDirectory == nil {
                sources.builtinDirectory = builtinDirectory
                if let data = fileManager.contents(atPath: builtinDirectory + "/_definitions.json"),
                   let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                    sources.definitions = DefinitionTable(raw: json["$defs"] as? [String: Any] ?? json["definitions"] as? [String: Any] ?? [:])
                }
                for key in kinds {
                    let path = builtinDirectory + "/" + key.builtinFileName
                    guard let data = fileManager.contents(atPath: path), let json = try? JSONSerialization.jsonObject(with: data) else { continue }
                    sources.builtin[key.id] = SchemaFile(json: json, path: path)
                }
                continue
            }
            for key in kinds where !key.group.isEmpty {
                let path = location + "/" + key.group + "/" + key.kind.lowercased() + "_" + key.version + ".json"
                guard sources.catalog[key.id] == nil, let data = fileManager.contents(atPath: path),
                      let json = try? JSONSerialization.jsonObject(with: data) else { continue }
                sources.catalog[key.id] = SchemaFile(json: json, path: path)
            }
        }
        return sources
    }

    /// The built-in schema directory in a location: the location itself when it holds
    /// `_definitions.json`, else the `vX.Y.0-local-strict` (or `vX.Y.0-standalone-strict`)
    /// subdirectory closest to the cluster's version.
    static func builtinDirectory(in location: String, kubernetesVersion: String?) -> String? {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: location + "/_definitions.json") { return location }
        guard let names = try? fileManager.contentsOfDirectory(atPath: location) else { return nil }
        let candidates = names.filter { $0.hasPrefix("v") && $0.hasSuffix("-strict") && fileManager.fileExists(atPath: location + "/" + $0 + "/_definitions.json") }
        guard !candidates.isEmpty else { return nil }
        func minor(_ name: String) -> Int {
            let parts = name.dropFirst().split(separator: ".")
            return parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        }
        let wanted = kubernetesVersion.flatMap { version -> Int? in
            let parts = version.split(separator: ".")
            return parts.count > 1 ? Int(parts[1]) : nil
        }
        let sorted = candidates.sorted { minor($0) < minor($1) }
        guard let wanted else { return sorted.last.map { location + "/" + $0 } }
        let best = sorted.min { abs(minor($0) - wanted) < abs(minor($1) - wanted) || (abs(minor($0) - wanted) == abs(minor($1) - wanted) && minor($0) > minor($1)) }
        return best.map { location + "/" + $0 }
    }
}

/// What schema lookup needs of kustomize's group/version/kind.
extension GroupVersionKind {
    var id: String { "\(group)/\(version)/\(kind)" }

    /// The kubeconform file name: `deployment-apps-v1.json`, `namespace-v1.json`.
    var builtinFileName: String {
        let groupPart = group.split(separator: ".").first.map { "-" + $0 } ?? ""
        return kind.lowercased() + groupPart + "-" + version + ".json"
    }

    public var apiVersion: String { group.isEmpty ? version : group + "/" + version }
}

/// Every schema a check can use, first match wins: the CRDs of the repository, the schema
/// locations, then the built-in Kubernetes kinds of the cluster's minor and the built-in CRD
/// snapshot.
public struct SchemaCatalog: Sendable {
    public enum Lookup {
        case found(JSONSchema, SchemaValidator, origin: String)
        case missing
    }

    let sources: SchemaSources
    let crdSchemas: [String: JSONSchema]
    private let cache = SchemaCache()
    /// The built-in Kubernetes minor used, and why when it is not the cluster's own.
    public let kubernetes: BuiltinSchemas.KubernetesChoice

    /// True when at least one schema location was given.
    public var isConfigured: Bool { !sources.locations.isEmpty }
    public var builtinDirectory: String? { sources.builtinDirectory }
    /// Whether the schemas built into the binary are consulted.
    public var usesBuiltins: Bool { sources.usesBuiltins }

    public init(sources: SchemaSources, snapshot: RepoSnapshot) {
        self.sources = sources
        kubernetes = BuiltinSchemas.kubernetesChoice(for: sources.kubernetesVersion ?? FluxEntrypoint.kubernetesVersion(snapshot))
        var crds: [String: JSONSchema] = [:]
        for document in snapshot.documents where document.kind == "CustomResourceDefinition" && document.apiVersion?.hasPrefix("apiextensions.k8s.io/") == true {
            guard let group = document.root[path: "spec.group"]?.string, let kind = document.root[path: "spec.names.kind"]?.string else { continue }
            for version in document.root[path: "spec.versions"]?.sequence?.items ?? [] {
                guard let name = version["name"]?.string, let schema = version[path: "schema.openAPIV3Schema"] else { continue }
                crds["\(group)/\(name)/\(kind)"] = JSONSchema(json: JSONSchema.jsonValue(schema), strictNested: true)
            }
        }
        crdSchemas = crds
    }

    /// The schema for an apiVersion/kind.
    public func lookup(apiVersion: String, kind: String) -> Lookup {
        let key = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        if let schema = crdSchemas[key.id] {
            return .found(schema, SchemaValidator(definitions: nil), origin: "CRD in the repository")
        }
        if let cached = cache.get(key.id) { return cached.map { .found($0.0, $0.1, origin: $0.2) } ?? .missing }
        let result = resolve(key)
        cache.set(key.id, result)
        return result.map { .found($0.0, $0.1, origin: $0.2) } ?? .missing
    }

    /// A schema file named by its folder and name (the location's absolute path would make
    /// findings differ from machine to machine).
    static func locationOrigin(_ path: String) -> String {
        "schema-location file " + path.split(separator: "/").suffix(2).joined(separator: "/")
    }

    private func resolve(_ key: GroupVersionKind) -> (JSONSchema, SchemaValidator, String)? {
        if let file = sources.builtin[key.id] {
            return (JSONSchema(json: file.json), SchemaValidator(definitions: sources.definitions), Self.locationOrigin(file.path))
        }
        if let file = sources.catalog[key.id] {
            return (JSONSchema(json: file.json), SchemaValidator(definitions: nil), Self.locationOrigin(file.path))
        }
        guard sources.usesBuiltins else { return nil }
        if let (schema, definitions) = BuiltinSchemas.kubernetesKind(key.id, minor: kubernetes.minor) {
            return (schema, SchemaValidator(definitions: definitions), "built-in Kubernetes 1.\(kubernetes.minor) schema")
        }
        if !key.group.isEmpty, let schema = BuiltinSchemas.customResource(group: key.group, version: key.version, kind: key.kind) {
            return (schema, SchemaValidator(definitions: nil, unknownFieldsAreWarnings: true), "built-in CRD snapshot")
        }
        return nil
    }
}

final class SchemaCache: @unchecked Sendable {
    private var storage: [String: (JSONSchema, SchemaValidator, String)?] = [:]
    private let lock = NSLock()

    func get(_ key: String) -> (JSONSchema, SchemaValidator, String)?? {
        lock.lock()
        defer { lock.unlock() }
        return storage[key]
    }

    func set(_ key: String, _ value: (JSONSchema, SchemaValidator, String)?) {
        lock.lock()
        storage[key] = value
        lock.unlock()
    }
}
