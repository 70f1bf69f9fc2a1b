import Foundation
import Kustomize
import Manifests

/// Everything Flux would reconcile from one entrypoint: the Kustomizations, what each renders,
/// the sources, and every problem met on the way (building never stops at the first one).
public struct FluxTree: Sendable {
    public var entrypoint: String
    public var kustomizations: [FluxKustomization]
    /// Problems not tied to one Kustomization's own list (duplicates, FluxInstance issues).
    public var problems: [FluxProblem]
    /// Informational notes (external sources skipped, encrypted values replaced).
    public var notices: [String]

    /// Every problem, the Kustomizations' included.
    public var allProblems: [FluxProblem] { problems + kustomizations.flatMap(\.errors) }

    /// Every rendered object with the index of the Kustomization that renders it.
    public var renderedObjects: [(kustomization: Int, object: RenderedObject)] {
        kustomizations.enumerated().flatMap { index, kustomization in kustomization.objects.map { (index, $0) } }
    }

    public func kustomization(_ reference: FluxReference) -> FluxKustomization? {
        kustomizations.first { $0.reference == reference }
    }

    /// Kustomizations named `name` (in `namespace` when given).
    public func kustomizations(named name: String, namespace: String?) -> [FluxKustomization] {
        kustomizations.filter { $0.reference.name == name && (namespace == nil || $0.reference.namespace == namespace) }
    }
}

/// Builds a ``FluxTree`` from a repository snapshot without touching the disk.
public struct FluxTreeBuilder: Sendable {
    public static let kustomizationGroup = "kustomize.toolkit.fluxcd.io"
    public static let sourceKinds: Set<String> = ["GitRepository", "OCIRepository", "HelmRepository", "Bucket", "HelmChart", "ExternalArtifact"]
    static let rootName = "flux-system"

    public let snapshot: RepoSnapshot
    let kustomizer: Kustomizer

    public init(snapshot: RepoSnapshot) {
        self.snapshot = snapshot
        self.kustomizer = Kustomizer(files: SnapshotFileSource(snapshot: snapshot))
    }

    /// The tree reachable from `entrypoint` (a repo-relative directory).
    public func build(entrypoint rawEntrypoint: String) -> FluxTree {
        let entrypoint = KustomizePath.normalize(rawEntrypoint)
        var tree = FluxTree(entrypoint: entrypoint, kustomizations: [], problems: [], notices: [])
        let rootReference = FluxReference(kind: "Kustomization", name: Self.rootName, namespace: Self.rootName)
        let rootNode = YAMLNode.keyed([
            ("apiVersion", .quotedString("kustomize.toolkit.fluxcd.io/v1")), ("kind", .quotedString("Kustomization")),
            ("metadata", .keyed([("name", .quotedString(Self.rootName)), ("namespace", .quotedString(Self.rootName))])),
            ("spec", .keyed([("path", .quotedString("./" + entrypoint)),
                             ("sourceRef", .keyed([("kind", .quotedString("GitRepository")), ("name", .quotedString(Self.rootName))]))])),
        ])
        var root = FluxKustomization(reference: rootReference, node: rootNode, location: FluxLocation(path: entrypoint, line: nil), parent: nil,
                                     path: entrypoint, sourceRef: FluxReference(kind: "GitRepository", name: Self.rootName, namespace: Self.rootName),
                                     dependsOn: [], isLocal: true)
        if !snapshot.exists(entrypoint) || snapshot.file(entrypoint) != nil {
            root.errors.append(FluxProblem(kind: .build, message: "the Flux entrypoint '\(entrypoint)' is not a directory of the repository",
                                           location: FluxLocation(path: entrypoint, line: nil), kustomization: rootReference))
            tree.kustomizations = [root]
            return tree
        }
        var queue = [root]
        var seen: Set<FluxReference> = [rootReference]
        var deferred: Set<FluxReference> = []
        while !queue.isEmpty {
            var current = queue.removeFirst()
            let missingSources = render(&current, tree: tree, finalAttempt: deferred.contains(current.reference))
            if missingSources, !deferred.contains(current.reference) {
                // Its substituteFrom objects may be rendered by a Kustomization still queued.
                deferred.insert(current.reference)
                queue.append(current)
                continue
            }
            for var child in discoverChildren(of: current, tree: &tree) {
                if current.parent == nil, child.reference == rootReference, child.location.path != current.location.path {
                    // The entrypoint only installs a FluxInstance whose sync is the real
                    // flux-system Kustomization: the entrypoint becomes a bootstrap node.
                    current.reference = FluxReference(kind: "Kustomization", name: "bootstrap", namespace: Self.rootName)
                    child.parent = current.reference
                    tree.notices.append("the entrypoint '\(entrypoint)' installs a FluxInstance that syncs '\(child.path)'; that sync is the flux-system Kustomization")
                    queue = queue.map { queued in
                        var copy = queued
                        if copy.parent == rootReference { copy.parent = current.reference }
                        return copy
                    }
                }
                if seen.contains(child.reference), !(child.reference == rootReference && current.reference != rootReference && !queue.contains { $0.reference == rootReference }) {
                    if child.reference != rootReference {
                        tree.problems.append(FluxProblem(kind: .duplicateKustomization,
                                                         message: "Flux Kustomization \(child.reference.namespace)/\(child.reference.name) is defined more than once; Flux would keep only one",
                                                         location: child.location, kustomization: child.reference))
                    }
                    continue
                }
                if child.parent == rootReference, current.reference != rootReference { child.parent = current.reference }
                seen.insert(child.reference)
                queue.append(child)
            }
            tree.kustomizations.append(current)
        }
        applyFluxInstancePatches(&tree)
        return tree
    }

    // MARK: Rendering one Kustomization

    /// Renders `kustomization` in place. Returns true when a substituteFrom object was not found
    /// (and this was not the final attempt), so the caller can retry it later.
    func render(_ kustomization: inout FluxKustomization, tree: FluxTree, finalAttempt: Bool) -> Bool {
        // A retry starts over; the note about an external source stays.
        kustomization.errors.removeAll { $0.kind != .externalSource }
        kustomization.objects = []
        guard kustomization.isLocal else { return false }
        let spec = kustomization.spec
        let pathMark = spec?["path"]?.mark
        let location = FluxLocation(path: kustomization.location.path, line: pathMark?.line ?? kustomization.location.line)
        let directory = kustomization.path
        guard snapshot.directories.contains(directory) || (directory.isEmpty && !snapshot.files.isEmpty) else {
            kustomization.errors.append(FluxProblem(kind: .build, message: "spec.path '\(spec?["path"]?.string ?? directory)' does not exist in the repository",
                                                    location: location, kustomization: kustomization.reference))
            return false
        }
        var resources: [Resource]
        // Remote bases are left out (offline): one notice each, and the Kustomization is not
        // called broken for what may only be missing because of them.
        let remote = RemoteResourceLog()
        var kustomizer = self.kustomizer
        kustomizer.remotePolicy = .skip(remote)
        defer {
            for entry in remote.entries {
                kustomization.errors.append(FluxProblem(kind: .remoteResource,
                                                        message: "remote resource '\(entry.reference)' was not fetched (homeport builds offline): the objects it adds to Kustomization \(kustomization.reference.namespace)/\(kustomization.reference.name) are not checked",
                                                        location: FluxLocation(path: entry.path, line: entry.line), kustomization: kustomization.reference))
            }
        }
        do {
            let base = try kustomizationSpec(for: directory)
            let overlaid = try overlay(base, with: spec)
            resources = try kustomizer.build(spec: overlaid)
        } catch let error as KustomizeError where !remote.entries.isEmpty {
            // A patch or replacement aimed at an object of the remote base cannot apply offline.
            kustomization.errors.append(FluxProblem(kind: .remoteResource,
                                                    message: "kustomize build of '\(directory)' was not completed offline: \(error.message)",
                                                    location: FluxLocation(path: error.path, line: error.line), kustomization: kustomization.reference))
            return false
        } catch let error as KustomizeError {
            kustomization.errors.append(FluxProblem(kind: .build, message: "kustomize build of '\(directory)' failed: \(error.message)",
                                                    location: FluxLocation(path: error.path, line: error.line), kustomization: kustomization.reference))
            return false
        } catch {
            kustomization.errors.append(FluxProblem(kind: .build, message: "kustomize build of '\(directory)' failed: \(error)",
                                                    location: location, kustomization: kustomization.reference))
            return false
        }
        if let metadata = spec?["commonMetadata"] {
            resources = resources.map { resource in
                var copy = resource
                for field in ["labels", "annotations"] {
                    for entry in metadata[field]?.mapping?.entries ?? [] {
                        guard let key = entry.key.scalar?.value else { continue }
                        copy.node = copy.node.updated(["metadata", field, key], create: true) { _ in entry.value }
                    }
                }
                return copy
            }
        }
        var objects = resources.map { RenderedObject(node: $0.node, sourcePath: $0.sourcePath) }
        if let postBuild = spec?["postBuild"], postBuild["substitute"] != nil || postBuild["substituteFrom"] != nil {
            var variables: [String: String] = [:]
            for entry in postBuild["substituteFrom"]?.sequence?.items ?? [] {
                let kind = entry["kind"]?.string ?? "ConfigMap"
                let name = entry["name"]?.string ?? ""
                let optional = entry["optional"]?.bool ?? false
                let candidates = tree.renderedObjects.map(\.object) + objects
                guard let source = candidates.first(where: { $0.kind == kind && $0.name == name
                    && ($0.namespace == kustomization.reference.namespace || $0.namespace.isEmpty) }) else {
                    if optional { continue }
                    if !finalAttempt { return true }
                    if let outside = objectOutsideTree(kind: kind, name: name, namespace: kustomization.reference.namespace) {
                        // Created outside Flux (bootstrap): it exists in the cluster all the same.
                        kustomization.errors.append(FluxProblem(kind: .substitutionSourceOutsideTree,
                                                                message: "postBuild.substituteFrom \(kind) '\(name)' is not rendered by the Flux tree; using the one defined in \(outside.sourcePath):\(outside.node.mark.line), outside it (created at bootstrap)",
                                                                location: FluxLocation(path: kustomization.location.path, line: entry.mark.line), kustomization: kustomization.reference))
                        for (key, value) in values(of: outside, kustomization: &kustomization, entryLine: entry.mark.line) {
                            variables[key] = value
                        }
                        continue
                    }
                    kustomization.errors.append(FluxProblem(kind: .substitutionSource,
                                                            message: "postBuild.substituteFrom \(kind) '\(name)' is not rendered anywhere in the Flux tree (namespace \(kustomization.reference.namespace)); Flux would fail this Kustomization",
                                                            location: FluxLocation(path: kustomization.location.path, line: entry.mark.line), kustomization: kustomization.reference))
                    continue
                }
                for (key, value) in values(of: source, kustomization: &kustomization, entryLine: entry.mark.line) {
                    variables[key] = value
                }
            }
            for entry in postBuild["substitute"]?.mapping?.entries ?? [] {
                guard let key = entry.key.scalar?.value else { continue }
                variables[key] = entry.value.scalar?.value ?? ""
            }
            objects = objects.map { object in
                var copy = object
                if Self.substitutionDisabled(object.node) { return copy }
                copy.node = substitute(object.node, variables: variables) { name, mark in
                    kustomization.errors.append(FluxProblem(kind: .undefinedVariable,
                                                            message: "${\(name)} has no value in postBuild of Kustomization \(kustomization.reference.namespace)/\(kustomization.reference.name) and no default; Flux would replace it with an empty string",
                                                            location: FluxLocation(path: object.sourcePath, line: mark.line > 0 ? mark.line : nil),
                                                            kustomization: kustomization.reference, variable: name))
                }
                return copy
            }
        }
        kustomization.objects = objects + renderResourceSets(objects)
        return false
    }

    /// A ConfigMap or Secret defined anywhere in the repository (a bootstrap folder, a SOPS
    /// file), in `namespace` or without one.
    func objectOutsideTree(kind: String, name: String, namespace: String) -> RenderedObject? {
        for file in snapshot.files where file.isYAML {
            for document in file.documents where document.kind == kind && document.name == name {
                let objectNamespace = document.root[path: "metadata.namespace"]?.string ?? ""
                if objectNamespace == namespace || objectNamespace.isEmpty {
                    return RenderedObject(node: document.root, sourcePath: file.path)
                }
            }
        }
        return nil
    }

    static func substitutionDisabled(_ node: YAMLNode) -> Bool {
        let key = "kustomize.toolkit.fluxcd.io/substitute"
        return node[path: "metadata.annotations"]?[key]?.string == "disabled" || node[path: "metadata.labels"]?[key]?.string == "disabled"
    }

    /// The key/values of a ConfigMap or Secret used by substituteFrom.
    func values(of source: RenderedObject, kustomization: inout FluxKustomization, entryLine: Int) -> [(String, String)] {
        if source.kind == "Secret", source.isSOPSEncrypted {
            kustomization.errors.append(FluxProblem(kind: .encryptedSubstitution,
                                                    message: "substituteFrom Secret '\(source.name)' is SOPS-encrypted; its keys were substituted with placeholders",
                                                    location: FluxLocation(path: kustomization.location.path, line: entryLine), kustomization: kustomization.reference))
            let keys = (source.node["data"]?.mapping?.entries ?? []) + (source.node["stringData"]?.mapping?.entries ?? [])
            return keys.compactMap { $0.key.scalar?.value }.map { ($0, "placeholder-\($0.lowercased())") }
        }
        var result: [(String, String)] = []
        for entry in source.node["data"]?.mapping?.entries ?? [] {
            guard let key = entry.key.scalar?.value, let value = entry.value.scalar?.value else { continue }
            if source.kind == "Secret" {
                let decoded = Data(base64Encoded: value).flatMap { String(data: $0, encoding: .utf8) } ?? ""
                result.append((key, decoded))
            } else {
                result.append((key, value))
            }
        }
        for entry in source.node["stringData"]?.mapping?.entries ?? [] {
            guard let key = entry.key.scalar?.value, let value = entry.value.scalar?.value else { continue }
            result.append((key, value))
        }
        return result
    }

    func substitute(_ node: YAMLNode, variables: [String: String], undefined: (String, Mark) -> Void) -> YAMLNode {
        switch node {
        case .scalar(var scalar):
            guard scalar.value.contains("${") else { return node }
            let (text, missing) = Substitution.apply(scalar.value, variables: variables)
            for name in missing { undefined(name, scalar.mark) }
            scalar.value = text
            return .scalar(scalar)
        case .mapping(var mapping):
            mapping.entries = mapping.entries.map { entry in
                .init(key: substitute(entry.key, variables: variables, undefined: undefined),
                      value: substitute(entry.value, variables: variables, undefined: undefined))
            }
            return .mapping(mapping)
        case .sequence(var sequence):
            sequence.items = sequence.items.map { substitute($0, variables: variables, undefined: undefined) }
            return .sequence(sequence)
        }
    }

    /// The kustomization of a directory, or the one kustomize-controller generates when there is
    /// none: every YAML file below it, and subdirectories that have their own kustomization.
    func kustomizationSpec(for directory: String) throws -> KustomizationSpec {
        if let path = try kustomizer.kustomizationFile(in: directory) {
            return try kustomizer.loadSpec(path)
        }
        var resources: [YAMLNode] = []
        func scan(_ folder: String) throws {
            let files = snapshot.filesDirectly(in: folder).map { ($0.name, false) }
            let folders = snapshot.subdirectories(of: folder).map { ($0, true) }
            for (name, isFolder) in (files + folders).sorted(by: { $0.0 < $1.0 }) {
                let path = folder.isEmpty ? name : folder + "/" + name
                if isFolder {
                    if try kustomizer.kustomizationFile(in: path) != nil {
                        resources.append(.quotedString(String(path.dropFirst(directory.isEmpty ? 0 : directory.count + 1))))
                    } else {
                        try scan(path)
                    }
                } else if let file = snapshot.file(path), file.isYAML {
                    resources.append(.quotedString(String(path.dropFirst(directory.isEmpty ? 0 : directory.count + 1))))
                }
            }
        }
        try scan(directory)
        let node = YAMLNode.keyed([("apiVersion", .quotedString("kustomize.config.k8s.io/v1beta1")), ("kind", .quotedString("Kustomization")),
                                   ("resources", .sequence(YAMLSequence(items: resources)))])
        return try KustomizationSpec(node: node, path: KustomizePath.join(directory, "kustomization.yaml"), directory: directory)
    }

    /// The kustomization with the Flux Kustomization's own fields added, as kustomize-controller
    /// writes them before building.
    func overlay(_ base: KustomizationSpec, with spec: YAMLNode?) throws -> KustomizationSpec {
        guard let spec else { return base }
        var node = base.node
        if let target = spec["targetNamespace"]?.string, !target.isEmpty { node = node.with("namespace", .quotedString(target)) }
        if let prefix = spec["namePrefix"]?.string { node = node.with("namePrefix", .quotedString(prefix)) }
        if let suffix = spec["nameSuffix"]?.string { node = node.with("nameSuffix", .quotedString(suffix)) }
        for field in ["patches", "images", "components"] {
            guard let extra = spec[field]?.sequence, !extra.items.isEmpty else { continue }
            var items = node[field]?.sequence?.items ?? []
            items += extra.items
            node = node.with(field, .sequence(YAMLSequence(items: items)))
        }
        return try KustomizationSpec(node: node, path: base.path, directory: base.directory)
    }

    // MARK: Discovery

    func discoverChildren(of parent: FluxKustomization, tree: inout FluxTree) -> [FluxKustomization] {
        var children: [FluxKustomization] = []
        for object in parent.objects {
            if object.kind == "Kustomization", object.group == Self.kustomizationGroup {
                children.append(makeKustomization(object, parent: parent))
            }
            if object.kind == "FluxInstance", let syncPath = object.node[path: "spec.sync.path"]?.string {
                let path = KustomizePath.normalize(syncPath)
                if path != tree.entrypoint, path != parent.path {
                    children.append(syncKustomization(object, path: path, parent: parent))
                }
            }
        }
        return children
    }

    func makeKustomization(_ object: RenderedObject, parent: FluxKustomization) -> FluxKustomization {
        let namespace = object.namespace.isEmpty ? parent.reference.namespace : object.namespace
        let reference = FluxReference(kind: "Kustomization", name: object.name, namespace: namespace)
        let spec = object.node["spec"]
        var sourceRef: FluxReference?
        if let ref = spec?["sourceRef"] {
            sourceRef = FluxReference(kind: ref["kind"]?.string ?? "GitRepository", name: ref["name"]?.string ?? "",
                                      namespace: ref["namespace"]?.string ?? namespace)
        }
        let dependsOn = (spec?["dependsOn"]?.sequence?.items ?? []).map { item in
            (FluxReference(kind: "Kustomization", name: item["name"]?.string ?? "", namespace: item["namespace"]?.string ?? namespace),
             FluxLocation(path: object.sourcePath, line: item.mark.line))
        }
        let isLocal = sourceRef.map { $0.kind == "GitRepository" && $0.name == Self.rootName && $0.namespace == Self.rootName } ?? false
        var kustomization = FluxKustomization(reference: reference, node: object.node, location: object.location, parent: parent.reference,
                                              path: KustomizePath.normalize(spec?["path"]?.string ?? ""), sourceRef: sourceRef,
                                              dependsOn: dependsOn, isLocal: isLocal)
        if !isLocal {
            kustomization.errors.append(FluxProblem(kind: .externalSource,
                                                    message: "source \(sourceRef?.description ?? "(none)") is not this repository; its content is not rendered",
                                                    location: object.location, kustomization: reference))
        }
        return kustomization
    }

    // MARK: Flux Operator

    /// The Kustomization the Flux Operator creates for a FluxInstance's `spec.sync`.
    func syncKustomization(_ instance: RenderedObject, path: String, parent: FluxKustomization) -> FluxKustomization {
        let namespace = instance.namespace.isEmpty ? parent.reference.namespace : instance.namespace
        let name = instance.node[path: "spec.sync.name"]?.string ?? namespace
        let reference = FluxReference(kind: "Kustomization", name: name, namespace: namespace)
        let node = YAMLNode.keyed([
            ("apiVersion", .quotedString("kustomize.toolkit.fluxcd.io/v1")), ("kind", .quotedString("Kustomization")),
            ("metadata", .keyed([("name", .quotedString(name)), ("namespace", .quotedString(namespace))])),
            ("spec", .keyed([("path", .quotedString("./" + path)),
                             ("sourceRef", .keyed([("kind", .quotedString(instance.node[path: "spec.sync.kind"]?.string ?? "GitRepository")),
                                                   ("name", .quotedString(name))]))])),
        ])
        return FluxKustomization(reference: reference, node: node, location: instance.location, parent: parent.reference, path: path,
                                 sourceRef: FluxReference(kind: "GitRepository", name: Self.rootName, namespace: Self.rootName),
                                 dependsOn: [], isLocal: true)
    }

    /// The FluxInstance's `spec.kustomize.patches` apply to the objects the operator creates,
    /// which include the root sync Kustomization.
    func applyFluxInstancePatches(_ tree: inout FluxTree) {
        // The operator's sync Kustomization is flux-system/flux-system (the root, or the
        // FluxInstance's sync when the entrypoint only bootstraps it).
        let syncReference = FluxReference(kind: "Kustomization", name: Self.rootName, namespace: Self.rootName)
        guard let rootIndex = tree.kustomizations.firstIndex(where: { $0.reference == syncReference })
            ?? tree.kustomizations.firstIndex(where: { $0.parent == nil }) else { return }
        for (_, object) in tree.renderedObjects where object.kind == "FluxInstance" {
            guard let patches = object.node[path: "spec.kustomize.patches"], patches.sequence?.items.isEmpty == false else { continue }
            do {
                if let patched = try Kustomizer.applyPatches(patches, to: [tree.kustomizations[rootIndex].node], path: object.sourcePath).first {
                    tree.kustomizations[rootIndex].node = patched
                }
            } catch let error as KustomizeError {
                tree.problems.append(FluxProblem(kind: .build, message: "FluxInstance \(object.name) patches do not apply: \(error.message)",
                                                 location: object.location))
            } catch {
                continue
            }
        }
    }

    /// Objects a ResourceSet generates from its inline inputs (`<< inputs.key >>`).
    func renderResourceSets(_ objects: [RenderedObject]) -> [RenderedObject] {
        var generated: [RenderedObject] = []
        for object in objects where object.kind == "ResourceSet" && object.group == "fluxcd.controlplane.io" {
            let templates = object.node[path: "spec.resources"]?.sequence?.items ?? []
            var inputs = (object.node[path: "spec.inputs"]?.sequence?.items ?? []).map { input in
                Dictionary((input.mapping?.entries ?? []).compactMap { entry -> (String, String)? in
                    guard let key = entry.key.scalar?.value, let value = entry.value.scalar?.value else { return nil }
                    return (key, value)
                }, uniquingKeysWith: { $1 })
            }
            if inputs.isEmpty && object.node[path: "spec.inputsFrom"] == nil { inputs = [[:]] }
            for input in inputs {
                for template in templates {
                    var node = ResourceSetTemplate.render(template, inputs: input)
                    if node[path: "metadata.namespace"] == nil, !object.namespace.isEmpty {
                        node = node.updated(["metadata", "namespace"], create: true) { _ in .quotedString(object.namespace) }
                    }
                    generated.append(RenderedObject(node: node, sourcePath: object.sourcePath))
                }
            }
        }
        return generated
    }
}

enum ResourceSetTemplate {
    static func render(_ node: YAMLNode, inputs: [String: String]) -> YAMLNode {
        switch node {
        case .scalar(var scalar):
            guard scalar.value.contains("<<") else { return node }
            var text = scalar.value
            while let open = text.range(of: "<<"), let close = text.range(of: ">>", range: open.upperBound..<text.endIndex) {
                let expression = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                let key = expression.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                let value = key.hasPrefix("inputs.") ? inputs[String(key.dropFirst("inputs.".count))] ?? "" : ""
                text.replaceSubrange(open.lowerBound..<close.upperBound, with: value)
            }
            scalar.value = text
            return .scalar(scalar)
        case .mapping(var mapping):
            mapping.entries = mapping.entries.map { .init(key: render($0.key, inputs: inputs), value: render($0.value, inputs: inputs)) }
            return .mapping(mapping)
        case .sequence(var sequence):
            sequence.items = sequence.items.map { render($0, inputs: inputs) }
            return .sequence(sequence)
        }
    }
}
