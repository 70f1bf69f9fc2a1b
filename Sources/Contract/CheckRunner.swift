import Flux
import Foundation
import HomeportCore
import Kustomize
import Manifests

/// What `homeport check` was asked to do.
public struct CheckOptions: Sendable {
    public var repoRoot: String
    public var only: Set<String>?
    public var skip: Set<String> = []
    /// Report only findings in files changed since this git reference.
    public var changedFrom: String?
    /// Schema directories for `k8s.schema` (kubeconform-style built-ins or CRD catalogs), in
    /// addition to `HOMEPORT_SCHEMA_LOCATION` (colon-separated).
    public var schemaLocations: [String] = []
    /// The Kubernetes version whose built-in schemas are used; nil means the cluster
    /// definition's `talos.kubernetesVersion`, else the newest built-in minor.
    public var kubernetesVersion: String?

    public init(repoRoot: String, only: Set<String>? = nil, skip: Set<String> = [], changedFrom: String? = nil, schemaLocations: [String] = [],
                kubernetesVersion: String? = nil) {
        self.repoRoot = repoRoot
        self.schemaLocations = schemaLocations
        self.kubernetesVersion = kubernetesVersion
        self.only = only
        self.skip = skip
        self.changedFrom = changedFrom
    }
}

/// The whole of `homeport check`, independent of the command line: configuration, snapshot,
/// rules, filtering.
public enum CheckRunner {
    public static func run(_ options: CheckOptions) throws -> CheckReport {
        let clock = ContinuousClock()
        let start = clock.now
        let configuration = try loadConfiguration(root: options.repoRoot)
        let unknown = (options.only ?? []).union(options.skip).filter { RuleRegistry.rule(id: $0) == nil }
        if !unknown.isEmpty {
            throw HomeportError.usage("unknown rule id(s): \(unknown.sorted().joined(separator: ", ")); `homeport rules` lists them")
        }
        var scanner = RepoScanner()
        scanner.isSkipped = { configuration.isSkipped($0) }
        let snapshot = try scanner.scan(root: options.repoRoot)
        for location in options.schemaLocations {
            if location.hasPrefix("http://") || location.hasPrefix("https://") {
                throw HomeportError.usage("--schema-location '\(location)': schemas are not downloaded during a check; put them in a directory (e.g. \(SchemaSources.defaultCacheDirectory)) and pass that")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: (location as NSString).expandingTildeInPath, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw HomeportError.usage("--schema-location '\(location)' is not a directory")
            }
        }
        var checker = Checker(configuration: configuration).selecting(only: options.only, skip: options.skip)
        // Without a contract document its rules are left out, unless asked for by id.
        var gatingNotice: Finding?
        if !RuleScope.hasContract(snapshot) {
            let selected = checker.rules.map { $0.description.id }
            let skipped = selected.filter { RuleScope.isContractRule($0) && options.only?.contains($0) != true }
            if !skipped.isEmpty {
                checker.rules.removeAll { skipped.contains($0.description.id) }
                gatingNotice = RuleScope.notice(ran: checker.rules.map { $0.description.id }, skipped: skipped)
            }
        }
        if checker.rules.contains(where: { $0.description.id == SchemaRule.description.id }) {
            checker.schemaLoader = SchemaLoader(inBackground: true) { schemaSources(options, snapshot: snapshot) }
        }
        var findings = checker.check(snapshot)
        if let reference = options.changedFrom {
            guard let changed = GitFileList.changedFiles(since: reference, root: options.repoRoot) else {
                throw HomeportError.usage("cannot list files changed since '\(reference)' (is it a git reference in \(options.repoRoot)?)")
            }
            findings = findings.filter { finding in
                changed.contains(finding.location.path) || changed.contains { $0.hasPrefix(finding.location.path + "/") }
            }
        }
        if let gatingNotice { findings.insert(gatingNotice, at: 0) }
        let elapsed = clock.now - start
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return CheckReport(findings: findings, fileCount: snapshot.files.count, durationMilliseconds: milliseconds,
                           rules: checker.rules.map { $0.description.ruleSummary })
    }

    /// The schemas of every kind the repository mentions, read once from the configured
    /// locations; the built-in ones are decoded later, only for the kinds a check meets.
    public static func schemaSources(_ options: CheckOptions, snapshot: RepoSnapshot) -> SchemaSources {
        var locations = options.schemaLocations
        if let environment = ProcessInfo.processInfo.environment["HOMEPORT_SCHEMA_LOCATION"] {
            locations += environment.split(separator: ":").map(String.init)
        }
        // Schemas placed in the user's cache directory are always used.
        let cache = SchemaSources.defaultCacheDirectory
        if FileManager.default.fileExists(atPath: cache) {
            locations.append(cache)
            let children = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
            locations += children.sorted().map { cache + "/" + $0 }
        }
        guard !locations.isEmpty else { return SchemaSources(kubernetesVersion: options.kubernetesVersion) }
        var kinds: Set<GroupVersionKind> = [GroupVersionKind(apiVersion: "v1", kind: "ConfigMap"), GroupVersionKind(apiVersion: "v1", kind: "Secret")]
        for file in snapshot.files where file.isYAML {
            for document in file.documents {
                if let apiVersion = document.apiVersion, let kind = document.kind { kinds.insert(GroupVersionKind(apiVersion: apiVersion, kind: kind)) }
                // Objects embedded in ResourceSets and lists are validated too.
                collectKinds(document.root, into: &kinds)
            }
        }
        return SchemaSources.load(locations: locations.map { ($0 as NSString).expandingTildeInPath }, kubernetesVersion: options.kubernetesVersion ?? FluxEntrypoint.kubernetesVersion(snapshot), kinds: kinds)
    }

    private static func collectKinds(_ node: YAMLNode, into kinds: inout Set<GroupVersionKind>) {
        switch node {
        case .mapping(let mapping):
            if let apiVersion = mapping["apiVersion"]?.string, let kind = mapping["kind"]?.string {
                kinds.insert(GroupVersionKind(apiVersion: apiVersion, kind: kind))
            }
            for entry in mapping.entries where entry.value.scalar == nil { collectKinds(entry.value, into: &kinds) }
        case .sequence(let sequence):
            for item in sequence.items where item.scalar == nil { collectKinds(item, into: &kinds) }
        case .scalar:
            break
        }
    }

    /// `homeport.yaml` at the root, or the defaults.
    public static func loadConfiguration(root: String) throws -> Configuration {
        let path = root + "/" + Configuration.fileName
        guard FileManager.default.fileExists(atPath: path) else { return Configuration() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw HomeportError.usage("cannot read \(Configuration.fileName) as UTF-8 text")
        }
        return try Configuration.load(text: text)
    }
}
