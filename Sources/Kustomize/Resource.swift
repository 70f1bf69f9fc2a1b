import Manifests

/// Group, version and kind of an object.
public struct GroupVersionKind: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String

    public init(apiVersion: String, kind: String) {
        if let slash = apiVersion.lastIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        self.kind = kind
    }

    /// kustomize's `group_version_kind` form, with `~G`/`~V`/`~K` for empty parts; it orders
    /// kinds of equal priority.
    var sortKey: String {
        [group.isEmpty ? "~G" : group, version.isEmpty ? "~V" : version, kind.isEmpty ? "~K" : kind].joined(separator: "_")
    }
}

/// One object in a kustomize build, with what the build needs to remember about it.
public struct Resource: Sendable {
    public var node: YAMLNode
    /// The file the object came from (or the kustomization that generated it).
    public var sourcePath: String
    /// Every name the object had, first to last (name references are rewritten from these).
    var previousNames: [String] = []
    /// Generated objects get a content hash appended to their name at the end of the build.
    var needsHashSuffix = false
    /// Generator behaviour when the object was produced by a generator (`create`, `merge`, `replace`).
    var generatorBehavior: String?

    public init(node: YAMLNode, sourcePath: String) {
        self.node = node
        self.sourcePath = sourcePath
    }

    public var apiVersion: String { node["apiVersion"]?.string ?? "" }
    public var kind: String { node["kind"]?.string ?? "" }
    public var name: String { node["metadata"]?["name"]?.string ?? "" }
    public var namespace: String { node["metadata"]?["namespace"]?.string ?? "" }
    public var gvk: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: kind) }
    /// The name the object was first given (before prefixes, suffixes and hashes).
    public var originalName: String { previousNames.first ?? name }

    /// True for kinds that have no namespace.
    public var isClusterScoped: Bool { ClusterScope.isClusterScoped(group: gvk.group, kind: kind) }

    /// The namespace kustomize compares: `default` for an unset namespace of a namespaced kind.
    var effectiveNamespace: String {
        if isClusterScoped { return "" }
        return namespace.isEmpty ? "default" : namespace
    }

    mutating func setName(_ newName: String) {
        guard newName != name else { return }
        if previousNames.isEmpty { previousNames.append(name) }
        node = node.updating(["metadata", "name"], create: true) { _ in .text(newName) }
        previousNames.append(newName)
    }

    func label(_ key: String) -> String? { node["metadata"]?["labels"]?[key]?.string }
    var labels: [(String, String)] { node["metadata"]?["labels"]?.stringPairs ?? [] }
    var annotations: [(String, String)] { node["metadata"]?["annotations"]?.stringPairs ?? [] }
}

/// The kinds kustomize treats as cluster-scoped (everything else, including every custom
/// resource, gets a namespace).
enum ClusterScope {
    static let kinds: Set<String> = [
        "APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
        "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
        "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PodSecurityPolicy",
        "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "SelfSubjectAccessReview",
        "SelfSubjectRulesReview", "StorageClass", "SubjectAccessReview", "TokenReview", "TokenRequest",
        "ValidatingWebhookConfiguration", "VolumeAttachment", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding", "SelfSubjectReview", "StorageVersion", "ClusterTrustBundle",
        "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
    ]

    /// Groups in which kustomize knows the cluster-scoped kinds (custom groups are namespaced).
    static let builtinGroups: Set<String> = [
        "", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "certificates.k8s.io",
        "flowcontrol.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io",
        "scheduling.k8s.io", "storage.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "internal.apiserver.k8s.io",
    ]

    static func isClusterScoped(group: String, kind: String) -> Bool {
        builtinGroups.contains(group) && kinds.contains(kind)
    }
}

/// How kustomize orders its output.
enum ResourceOrder {
    static let defaultFirst = [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
        "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret",
        "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim",
        "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
    ]
    static let defaultLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]

    /// The legacy order: priority kinds first and last, then group/version/kind, namespace, name.
    static func legacySorted(_ resources: [Resource], first: [String] = defaultFirst, last: [String] = defaultLast) -> [Resource] {
        var priority: [String: Int] = [:]
        for (index, kind) in first.enumerated() { priority[kind] = index - first.count }
        for (index, kind) in last.enumerated() { priority[kind] = index + 1 }
        let keyed = resources.enumerated().map { offset, resource in
            (offset, resource, priority[resource.kind] ?? 0, resource.gvk.sortKey, resource.effectiveNamespace, resource.name)
        }
        return keyed.sorted { lhs, rhs in
            if lhs.3 != rhs.3 {
                if lhs.2 != rhs.2 { return lhs.2 < rhs.2 }
                return lhs.3 < rhs.3
            }
            if lhs.4 != rhs.4 { return lhs.4 < rhs.4 }
            if lhs.5 != rhs.5 { return lhs.5 < rhs.5 }
            return lhs.0 < rhs.0
        }.map(\.1)
    }
}
