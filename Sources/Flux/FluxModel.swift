import Kustomize
import Manifests

/// Where a Flux object or a problem was written.
public struct FluxLocation: Sendable, Hashable, Codable {
    public var path: String
    public var line: Int?

    public init(path: String, line: Int?) {
        self.path = path
        self.line = line.flatMap { $0 > 0 ? $0 : nil }
    }
}

/// `namespace/name` of a Flux object.
public struct FluxReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var kind: String
    public var name: String
    public var namespace: String

    public init(kind: String, name: String, namespace: String) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    public var description: String { "\(kind) \(namespace)/\(name)" }

    public static func < (lhs: FluxReference, rhs: FluxReference) -> Bool {
        (lhs.namespace, lhs.name, lhs.kind) < (rhs.namespace, rhs.name, rhs.kind)
    }
}

/// A problem found while building the tree: it names the file and line at fault.
public struct FluxProblem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The Kustomization's path does not exist or does not build.
        case build
        /// A `${VAR}` without a value or a default.
        case undefinedVariable
        /// A substituteFrom ConfigMap/Secret is missing.
        case substitutionSource
        /// A SOPS-encrypted substituteFrom Secret could not be read (placeholders used).
        case encryptedSubstitution
        /// A substituteFrom ConfigMap/Secret found outside the Flux tree (a bootstrap folder, a
        /// SOPS file applied by hand): it exists, so its keys define variables.
        case substitutionSourceOutsideTree
        /// A remote kustomize resource left unbuilt: homeport builds offline.
        case remoteResource
        /// Two Flux Kustomizations with the same namespace/name.
        case duplicateKustomization
        /// A source the tree cannot render (external repository, artifact).
        case externalSource
    }

    public var kind: Kind
    public var message: String
    public var location: FluxLocation
    /// The Flux Kustomization the problem belongs to.
    public var kustomization: FluxReference?
    /// For undefined variables: the variable name.
    public var variable: String?

    public init(kind: Kind, message: String, location: FluxLocation, kustomization: FluxReference? = nil, variable: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.kustomization = kustomization
        self.variable = variable
    }
}

/// An object rendered by a Flux Kustomization, with where it came from.
public struct RenderedObject: Sendable {
    public var node: YAMLNode
    /// The file the object was read from (repo-relative).
    public var sourcePath: String

    public var apiVersion: String { node["apiVersion"]?.string ?? "" }
    public var kind: String { node["kind"]?.string ?? "" }
    public var name: String { node["metadata"]?["name"]?.string ?? "" }
    public var namespace: String { node["metadata"]?["namespace"]?.string ?? "" }
    public var group: String { GroupVersionKind(apiVersion: apiVersion, kind: kind).group }
    public var location: FluxLocation { FluxLocation(path: sourcePath, line: node.mark.line) }
    public var isSOPSEncrypted: Bool { node["sops"]?.mapping != nil }
}

/// One Flux Kustomization of the tree and what it renders.
public struct FluxKustomization: Sendable {
    public var reference: FluxReference
    /// The object as rendered by its parent (patches from the parent applied).
    public var node: YAMLNode
    /// Where it was defined.
    public var location: FluxLocation
    /// The Kustomization that rendered it (nil for the root).
    public var parent: FluxReference?
    /// `spec.path`, normalized and relative to the repository root.
    public var path: String
    public var sourceRef: FluxReference?
    public var dependsOn: [(reference: FluxReference, location: FluxLocation)]
    /// False when the source is not this repository (nothing rendered).
    public var isLocal: Bool
    public var objects: [RenderedObject] = []
    public var errors: [FluxProblem] = []

    public var spec: YAMLNode? { node["spec"] }
}

/// An object that two Flux Kustomizations both apply (or one applies twice): Flux would let
/// the last one win and prune it from the other.
public struct DuplicateObject: Sendable {
    public var description: String
    public var first: (kustomization: FluxReference, location: FluxLocation)
    public var second: (kustomization: FluxReference, location: FluxLocation)
}

extension FluxTree {
    /// Objects rendered more than once across the tree (same group, kind, namespace and name).
    public var duplicateObjects: [DuplicateObject] {
        var seen: [String: (FluxReference, FluxLocation)] = [:]
        var result: [DuplicateObject] = []
        for kustomization in kustomizations {
            for object in kustomization.objects {
                let namespace = object.namespace.isEmpty ? "" : object.namespace
                let key = "\(object.group)/\(object.kind)/\(namespace)/\(object.name)"
                if let first = seen[key] {
                    result.append(DuplicateObject(description: "\(object.kind) \(namespace.isEmpty ? "" : namespace + "/")\(object.name)",
                                                  first: first, second: (kustomization.reference, object.location)))
                } else {
                    seen[key] = (kustomization.reference, object.location)
                }
            }
        }
        return result
    }

    /// Source objects (GitRepository, OCIRepository, HelmRepository, …) rendered anywhere in
    /// the tree, by kind/namespace/name, with the root sync source that always exists.
    public var sources: Set<FluxReference> {
        var result: Set<FluxReference> = [FluxReference(kind: "GitRepository", name: "flux-system", namespace: "flux-system")]
        for kustomization in kustomizations {
            for object in kustomization.objects {
                let namespace = object.namespace.isEmpty ? kustomization.reference.namespace : object.namespace
                if FluxTreeBuilder.sourceKinds.contains(object.kind) {
                    result.insert(FluxReference(kind: object.kind, name: object.name, namespace: namespace))
                }
                // An ArtifactGenerator creates one ExternalArtifact per entry of spec.artifacts.
                if object.kind == "ArtifactGenerator" {
                    for artifact in object.node[path: "spec.artifacts"]?.sequence?.items ?? [] {
                        guard let name = artifact["name"]?.string else { continue }
                        result.insert(FluxReference(kind: "ExternalArtifact", name: name, namespace: namespace))
                    }
                }
            }
        }
        return result
    }
}
