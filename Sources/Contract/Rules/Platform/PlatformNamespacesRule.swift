import HomeportCore
import Manifests

/// `platform.namespaces`: the namespaces platform components use are created in platform/.
struct PlatformNamespacesRule: Rule {
    static let description = RuleDescription(
        id: "platform.namespaces",
        summary: "Every namespace a platform component uses (metadata.namespace, a kustomization's namespace, a Flux targetNamespace) is created by a Namespace object under cluster/kubernetes/platform/, unless it is built in or flux-system.",
        rationale: "Contract 2.1: namespaces for platform components are created in platform/ too, so a component never depends on a namespace that an app, a human or a Helm flag happened to create.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("namespaces created beside their components", files: [
                "cluster/kubernetes/platform/certs/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: cert-manager\nresources:\n  - namespace.yaml\n  - helmrelease.yaml\n",
                "cluster/kubernetes/platform/certs/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n",
                "cluster/kubernetes/platform/certs/helmrelease.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cert-manager\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: cert-manager\n      version: v1.19.1\n",
                "cluster/kubernetes/platform/monitoring/metrics-server.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: metrics-server\n  namespace: kube-system\n",
                "cluster/kubernetes/platform/monitoring/source.yaml": "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: metrics-server\n  namespace: flux-system\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a namespace nobody creates", files: [
                "cluster/kubernetes/platform/dns/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n↓namespace: external-dns\nresources:\n  - helmrelease.yaml\n",
                "cluster/kubernetes/platform/dns/helmrelease.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: external-dns\n  namespace: ↓external-dns\n",
            ]),
            RuleExample("a namespace created only by an app", files: [
                "cluster/kubernetes/apps/nextcloud/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: databases\n",
                "cluster/kubernetes/platform/storage/postgres.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: postgres\n  namespace: flux-system\nspec:\n  ↓targetNamespace: databases\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        let files = context.yamlFiles(under: ContractPaths.platform)
        var created = KubernetesFacts.preexistingNamespaces
        for file in files {
            for document in file.documents where KubernetesFacts.isNamespace(document) {
                if let name = document.name { created.insert(name) }
            }
        }
        var findings: [Finding] = []
        for file in files {
            for document in file.documents {
                for use in NamespaceUse.all(in: document) where !created.contains(use.namespace) {
                    findings.append(finding("namespace '\(use.namespace)' is used here, but no Namespace object under cluster/kubernetes/platform creates it; add a namespace.yaml (kind: Namespace) to this concern's folder", at: file.path, mark: use.mark))
                }
            }
        }
        return findings
    }
}

/// A place where a document puts objects into a namespace.
struct NamespaceUse {
    var namespace: String
    var mark: Mark

    /// `metadata.namespace` of an object, `namespace:` of a kustomization, and the
    /// `spec.targetNamespace` of a Flux Kustomization or HelmRelease (unless the HelmRelease
    /// creates that namespace itself). Values Flux substitutes (`${VAR}`) are left out: they
    /// are only known after the build.
    static func all(in document: ManifestDocument) -> [NamespaceUse] {
        literal(in: document).filter { !$0.namespace.contains("${") }
    }

    private static func literal(in document: ManifestDocument) -> [NamespaceUse] {
        var uses: [NamespaceUse] = []
        if KubernetesFacts.isKustomizeConfiguration(document) {
            if let node = document.root["namespace"], let name = node.string { uses.append(NamespaceUse(namespace: name, mark: node.mark)) }
            return uses
        }
        guard KubernetesFacts.isClusterObject(document) else { return [] }
        if let node = document.root[path: "metadata.namespace"], let name = node.string {
            uses.append(NamespaceUse(namespace: name, mark: node.mark))
        }
        if let target = targetNamespace(of: document), document.root[path: "spec.install.createNamespace"]?.bool != true {
            uses.append(target)
        }
        return uses
    }

    /// The `spec.targetNamespace` of a Flux Kustomization or HelmRelease: where its objects go.
    static func targetNamespace(of document: ManifestDocument) -> NamespaceUse? {
        let isFlux = KubernetesFacts.isFluxKustomization(document)
            || (document.kind == "HelmRelease" && document.apiVersion?.hasPrefix("helm.toolkit.fluxcd.io/") == true)
        guard isFlux, let node = document.root[path: "spec.targetNamespace"], let name = node.string else { return nil }
        return NamespaceUse(namespace: name, mark: document.root["spec"]?.keyMark("targetNamespace") ?? node.mark)
    }
}
