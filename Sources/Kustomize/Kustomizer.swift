import Manifests

/// An in-process `kustomize build` with the options kustomize-controller uses (no load
/// restrictions, no plugins): the same objects, names, hashes and order as `kubectl kustomize`.
public struct Kustomizer: Sendable {
    /// The names kustomize accepts for a kustomization file, in the order it looks for them.
    public static let fileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    public let files: any KustomizeFileSource
    /// Remote resources are never fetched: refused, or left out and logged.
    public var remotePolicy: RemoteResourcePolicy = .refuse

    public init(files: any KustomizeFileSource) {
        self.files = files
    }

    /// The kustomization file of a directory, nil when it has none.
    public func kustomizationFile(in directory: String) throws -> String? {
        let found = Self.fileNames.map { KustomizePath.join(directory, $0) }.filter(files.isFile)
        if found.count > 1 {
            throw KustomizeError("found multiple kustomization files (\(found.map(KustomizePath.base).joined(separator: ", "))); keep one", path: directory)
        }
        return found.first
    }

    /// Builds a directory as `kubectl kustomize DIR` does, returning the objects in output order.
    public func build(directory: String) throws -> [Resource] {
        guard files.isDirectory(directory) else {
            throw KustomizeError("'\(directory)' is not a directory", path: directory)
        }
        guard let path = try kustomizationFile(in: directory) else {
            throw KustomizeError("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory", path: directory)
        }
        let spec = try loadSpec(path)
        return try build(spec: spec)
    }

    /// Builds a kustomization given as a parsed file (Flux passes a modified or generated one).
    public func build(spec: KustomizationSpec) throws -> [Resource] {
        var list = ResourceList()
        try accumulate(spec, into: &list, stack: [spec.directory])
        try finish(&list, spec: spec)
        return try order(list.resources, spec: spec)
    }

    /// Output text of a build: documents separated by `---`, as kubectl prints them.
    public static func render(_ resources: [Resource]) -> String {
        YAMLEmitter.emit(documents: resources.map(\.node))
    }

    /// Parses the kustomization file at `path`.
    public func loadSpec(_ path: String) throws -> KustomizationSpec {
        guard let stream = files.yaml(path) else { throw KustomizeError("cannot read the kustomization file", path: path) }
        if let error = stream.error { throw KustomizeError("YAML does not parse: \(error.message)", path: path, mark: error.mark) }
        let documents = stream.documents.filter { !$0.isNull }
        guard documents.count <= 1 else { throw KustomizeError("a kustomization file must hold one document", path: path, mark: documents[1].mark) }
        return try KustomizationSpec(node: documents.first ?? .emptyMapping, path: path)
    }

    // MARK: Accumulation

    func accumulate(_ spec: KustomizationSpec, into list: inout ResourceList, stack: [String]) throws {
        for entry in spec.resources {
            try accumulateResource(entry, spec: spec, into: &list, stack: stack)
        }
        for entry in spec.components {
            if Self.isRemote(entry.value) {
                try leaveOutRemote(entry.value, spec: spec, line: entry.line)
                continue
            }
            let directory = KustomizePath.join(spec.directory, entry.value)
            guard files.isDirectory(directory), let path = try kustomizationFile(in: directory) else {
                throw KustomizeError("component '\(entry.value)' is not a directory with a kustomization file", path: spec.path, line: entry.line)
            }
            let component = try loadSpec(path)
            guard component.kind == "Component" else {
                throw KustomizeError("'\(entry.value)' is listed under components but its kind is '\(component.kind)', not Component", path: path)
            }
            guard !stack.contains(directory) else {
                throw KustomizeError("cycle: '\(directory)' includes itself", path: spec.path, line: entry.line)
            }
            try accumulate(component, into: &list, stack: stack + [directory])
        }
        try Generators.run(spec, files: files, into: &list)
        try Transformers.run(spec, files: files, on: &list)
    }

    func accumulateResource(_ entry: KustomizationSpec.Entry, spec: KustomizationSpec, into list: inout ResourceList, stack: [String]) throws {
        let reference = entry.value
        if Self.isRemote(reference) {
            try leaveOutRemote(reference, spec: spec, line: entry.line)
            return
        }
        let path = KustomizePath.join(spec.directory, reference)
        if files.isFile(path) {
            for resource in try loadResources(path) {
                try list.add(resource, path: spec.path, line: entry.line)
            }
            return
        }
        guard files.isDirectory(path) else {
            throw KustomizeError("resource '\(reference)' does not exist (looked for \(path))", path: spec.path, line: entry.line)
        }
        guard let file = try kustomizationFile(in: path) else {
            throw KustomizeError("resource directory '\(reference)' has no kustomization file", path: spec.path, line: entry.line)
        }
        guard !stack.contains(path) else {
            throw KustomizeError("cycle: '\(path)' includes itself", path: spec.path, line: entry.line)
        }
        let child = try loadSpec(file)
        if child.kind == "Component" {
            throw KustomizeError("'\(reference)' is a Component; list it under components, not resources", path: spec.path, line: entry.line)
        }
        var childList = ResourceList()
        try accumulate(child, into: &childList, stack: stack + [path])
        for resource in childList.resources {
            try list.add(resource, path: spec.path, line: entry.line)
        }
    }

    /// Refuses a remote resource, or records it when the policy leaves such resources out.
    func leaveOutRemote(_ reference: String, spec: KustomizationSpec, line: Int?) throws {
        switch remotePolicy {
        case .refuse:
            throw KustomizeError("remote resource '\(reference)' is not supported: homeport builds offline; vendor it into the repository", path: spec.path, line: line)
        case .skip(let log):
            log.record(RemoteResourceLog.Entry(reference: reference, path: spec.path, line: line))
        }
    }

    public static func isRemote(_ reference: String) -> Bool {
        let lowered = reference.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || lowered.hasPrefix("git::")
            || lowered.hasPrefix("github.com/") || lowered.hasPrefix("gitlab.com/") || lowered.hasPrefix("ssh://")
            || lowered.hasPrefix("git@") || lowered.contains("?ref=")
    }

    /// The objects of a resource file.
    func loadResources(_ path: String) throws -> [Resource] {
        guard let stream = files.yaml(path) else {
            throw KustomizeError("cannot read resource file", path: path)
        }
        if let error = stream.error { throw KustomizeError("YAML does not parse: \(error.message)", path: path, mark: error.mark) }
        var result: [Resource] = []
        for document in stream.documents where !document.isNull {
            guard document.mapping != nil else {
                throw KustomizeError("document is not a mapping, so it is not a Kubernetes object", path: path, mark: document.mark)
            }
            let items: [YAMLNode]
            if let kind = document["kind"]?.string, kind.hasSuffix("List"), let listItems = document["items"]?.sequence {
                items = listItems.items
            } else {
                items = [document]
            }
            for item in items {
                guard let kind = item["kind"]?.string, !kind.isEmpty else {
                    throw KustomizeError("missing kind in object", path: path, mark: item.mark)
                }
                if kind == "Kustomization" || kind == "Component",
                   item["apiVersion"]?.string?.hasPrefix("kustomize.config.k8s.io") ?? true {
                    throw KustomizeError("a kustomization file cannot be listed as a resource; list its directory instead", path: path, mark: item.mark)
                }
                guard item[path: "metadata.name"]?.string?.isEmpty == false else {
                    throw KustomizeError("missing metadata.name in \(kind)", path: path, mark: item.mark)
                }
                result.append(Resource(node: item, sourcePath: path))
            }
        }
        return result
    }

    // MARK: The end of a build

    func finish(_ list: inout ResourceList, spec: KustomizationSpec) throws {
        for index in list.resources.indices where list.resources[index].needsHashSuffix {
            let suffix = try NameHash.suffix(for: list.resources[index].node)
            list.resources[index].setName(list.resources[index].name + "-" + suffix)
        }
        NameReferences.fix(&list.resources)
        for index in list.resources.indices {
            list.resources[index].node = Self.removingBuildAnnotations(list.resources[index].node)
        }
    }

    static func removingBuildAnnotations(_ node: YAMLNode) -> YAMLNode {
        guard let annotations = node[path: "metadata.annotations"]?.mapping else { return node }
        let kept = annotations.entries.filter { entry in
            let key = entry.key.scalar?.value ?? ""
            return !key.hasPrefix("internal.config.kubernetes.io/") && !key.hasPrefix("config.kubernetes.io/")
                && key != "kustomize.config.k8s.io/needs-hash" && key != "kustomize.config.k8s.io/behavior"
        }
        guard kept.count != annotations.entries.count else { return node }
        return node.updating(["metadata"], create: false) { metadata in
            guard let metadata else { return nil }
            if kept.isEmpty { return metadata.removing("annotations") }
            var copy = annotations
            copy.entries = kept
            return metadata.setting("annotations", .mapping(copy))
        }
    }

    func order(_ resources: [Resource], spec: KustomizationSpec) throws -> [Resource] {
        switch spec.sortOrder {
        case .fifo:
            return resources
        case .legacy(let first, let last):
            return ResourceOrder.legacySorted(resources, first: first ?? ResourceOrder.defaultFirst, last: last ?? ResourceOrder.defaultLast)
        }
    }
}

/// The objects of a build so far, in the order they were added, keyed by identity.
public struct ResourceList: Sendable {
    public var resources: [Resource] = []

    public init() {}

    mutating func add(_ resource: Resource, path: String, line: Int?) throws {
        // Names differ in almost every case: compare them first, cheaply.
        let name = resource.name
        if let existing = resources.first(where: { $0.name == name && Self.sameIdentity($0, resource) }) {
            throw KustomizeError("may not add resource with an already registered id: \(resource.kind) \(resource.namespace.isEmpty ? "" : resource.namespace + "/")\(resource.name) (from \(resource.sourcePath); already added from \(existing.sourcePath))", path: path, line: line)
        }
        resources.append(resource)
    }

    static func sameIdentity(_ left: Resource, _ right: Resource) -> Bool {
        left.name == right.name && left.kind == right.kind && left.gvk.group == right.gvk.group
            && left.effectiveNamespace == right.effectiveNamespace
    }
}
