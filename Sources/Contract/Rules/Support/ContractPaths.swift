import Manifests

/// The folders of the contract's layout that rules look into.
enum ContractPaths {
    static let kubernetes = "cluster/kubernetes"
    static let platform = "cluster/kubernetes/platform"
    static let apps = "cluster/kubernetes/apps"
    static let talos = "cluster/talos"
    static let infrastructure = "infrastructure"
    static let scripts = "scripts"
    static let synology = "synology"
    static let logs = "logs"

    /// Names kustomize reads as a folder's kustomization.
    static let kustomizationFileNames: Set<String> = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// Files that may sit directly in platform/ or apps/ next to the concern or app folders.
    static let allowedLooseFiles: Set<String> = kustomizationFileNames.union(["README.md"])
}

/// Facts about Kubernetes objects that several rules share.
enum KubernetesFacts {
    /// Namespaces that exist in every cluster, plus `flux-system`, which the Flux bootstrap
    /// creates before anything is reconciled.
    static let preexistingNamespaces: Set<String> = ["default", "kube-system", "kube-public", "kube-node-lease", "flux-system"]

    /// Kinds that are not namespaced. Kinds of CRDs that are cluster-wide by design
    /// (cert-manager, Gateway API, Kyverno, External Secrets) are included.
    static let clusterScopedKinds: Set<String> = [
        "Namespace", "Node", "PersistentVolume", "CustomResourceDefinition", "APIService",
        "ClusterRole", "ClusterRoleBinding", "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
        "IngressClass", "PriorityClass", "RuntimeClass", "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "CertificateSigningRequest",
        "FlowSchema", "PriorityLevelConfiguration", "VolumeSnapshotClass", "VolumeSnapshotContent",
        "ClusterIssuer", "GatewayClass", "ClusterPolicy", "ClusterCleanupPolicy", "ClusterSecretStore",
        "ClusterExternalSecret",
    ]

    /// Cluster-scoped kinds an app folder may still hold: its own Namespace and static
    /// PersistentVolumes for its data.
    static let clusterScopedKindsAllowedInApps: Set<String> = ["Namespace", "PersistentVolume"]

    /// True for kustomize's own configuration documents (Kustomization, Component), which are
    /// not cluster objects.
    static func isKustomizeConfiguration(_ document: ManifestDocument) -> Bool {
        document.apiVersion?.hasPrefix("kustomize.config.k8s.io/") == true
    }

    /// True for a document that is a Kubernetes object: apiVersion and kind, and not kustomize
    /// configuration.
    static func isClusterObject(_ document: ManifestDocument) -> Bool {
        document.isKubernetesObject && !isKustomizeConfiguration(document)
    }

    /// True for a Flux Kustomization (kustomize.toolkit.fluxcd.io).
    static func isFluxKustomization(_ document: ManifestDocument) -> Bool {
        document.kind == "Kustomization" && document.apiVersion?.hasPrefix("kustomize.toolkit.fluxcd.io/") == true
    }

    /// True for a core Namespace object.
    static func isNamespace(_ document: ManifestDocument) -> Bool {
        document.kind == "Namespace" && document.apiVersion == "v1"
    }

    /// RFC 1123 label: what Kubernetes accepts as a namespace name.
    static func isDNSLabel(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 63, let first = name.first, let last = name.last else { return false }
        let allowed = name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        return allowed && first != "-" && last != "-"
    }
}

extension RepoFile {
    /// True for kustomize's configuration file of a folder.
    var isKustomization: Bool {
        ContractPaths.kustomizationFileNames.contains(name)
    }

    /// The first line of a text file.
    var firstLine: Substring? {
        guard let text else { return nil }
        return text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first
    }
}

extension ManifestDocument {
    /// The mark of the `kind` key, or of the document itself: where a finding about what the
    /// object is should point.
    var kindMark: Mark {
        root.keyMark("kind") ?? root.mark
    }

    /// The mark of the `metadata.namespace` value, when there is one.
    var namespaceMark: Mark? {
        root[path: "metadata.namespace"]?.mark
    }
}
