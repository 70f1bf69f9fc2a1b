import HomeportCore
import Manifests

/// `apps.no-cluster-scoped`: apps do not install platform-wide objects.
struct NoClusterScopedRule: Rule {
    static let description = RuleDescription(
        id: "apps.no-cluster-scoped",
        summary: "No cluster-scoped objects under cluster/kubernetes/apps/ (CRDs, ClusterRoles and their bindings, StorageClasses, ClusterIssuers, IngressClasses, PriorityClasses, webhook configurations, GatewayClasses, Kyverno ClusterPolicies, …) except an app's own Namespace and static PersistentVolumes.",
        rationale: "Contract 2.1: no platform-wide components in apps/. A cluster-scoped object changes the whole cluster, so it belongs to a platform concern, where it is reviewed as one.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("namespace, static volume and namespaced RBAC", files: [
                "cluster/kubernetes/apps/jellyfin/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jellyfin\n",
                "cluster/kubernetes/apps/jellyfin/pv.yaml": "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: jellyfin-media\nspec:\n  capacity:\n    storage: 1Ti\n  accessModes: [ReadOnlyMany]\n  nfs:\n    server: 192.168.1.112\n    path: /volume1/media\n",
                "cluster/kubernetes/apps/jellyfin/rbac.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: jellyfin\n  namespace: jellyfin\nrules: []\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: jellyfin\n  namespace: jellyfin\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: jellyfin\nsubjects: []\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("RBAC and a StorageClass shipped with an app", files: [
                "cluster/kubernetes/apps/nextcloud/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: nextcloud\n",
                "cluster/kubernetes/apps/nextcloud/rbac.yaml": "apiVersion: rbac.authorization.k8s.io/v1\n↓kind: ClusterRole\nmetadata:\n  name: nextcloud-reader\nrules: []\n---\napiVersion: rbac.authorization.k8s.io/v1\n↓kind: ClusterRoleBinding\nmetadata:\n  name: nextcloud-reader\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: nextcloud-reader\nsubjects: []\n",
                "cluster/kubernetes/apps/nextcloud/storageclass.yaml": "apiVersion: storage.k8s.io/v1\n↓kind: StorageClass\nmetadata:\n  name: nextcloud-nfs\nprovisioner: nfs.csi.k8s.io\n",
            ]),
            RuleExample("a ClusterIssuer and a CRD", files: [
                "cluster/kubernetes/apps/ai-studio/issuer.yaml": "apiVersion: cert-manager.io/v1\n↓kind: ClusterIssuer\nmetadata:\n  name: ai-studio\nspec:\n  selfSigned: {}\n",
                "cluster/kubernetes/apps/ai-studio/crd.yaml": "apiVersion: apiextensions.k8s.io/v1\n↓kind: CustomResourceDefinition\nmetadata:\n  name: models.ai.example.com\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for document in context.objects(under: ContractPaths.apps) where !KubernetesFacts.isKustomizeConfiguration(document) {
            guard let kind = document.kind, KubernetesFacts.clusterScopedKinds.contains(kind),
                  !KubernetesFacts.clusterScopedKindsAllowedInApps.contains(kind) else { continue }
            findings.append(finding("\(kind) \(document.name ?? "") is cluster-scoped, which makes it a platform component; move it to a concern under cluster/kubernetes/platform/", at: document.path, mark: document.kindMark))
        }
        return findings
    }
}
