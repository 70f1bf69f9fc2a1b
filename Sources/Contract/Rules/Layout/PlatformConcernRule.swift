import HomeportCore
import Manifests

/// `layout.platform-concern`: platform/ holds one folder per concern and no loose files.
struct PlatformConcernRule: Rule {
    static let description = RuleDescription(
        id: "layout.platform-concern",
        summary: "cluster/kubernetes/platform/ holds one folder per concern; only kustomization.yaml and README.md sit directly in it.",
        rationale: "Contract 2.1: each platform concern (ingress, storage, monitoring, dns, certs, security, …) gets its own folder, so a manifest dropped directly into platform/ has no owner.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("concern folders and the platform kustomization", files: [
                "cluster/kubernetes/platform/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ingress\n  - storage\n",
                "cluster/kubernetes/platform/README.md": "# Platform\n",
                "cluster/kubernetes/platform/ingress/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress\n",
                "cluster/kubernetes/platform/storage/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: storage\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a loose manifest beside the concern folders", files: [
                "cluster/kubernetes/platform/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ingress\n  - metrics-server.yaml\n",
                "cluster/kubernetes/platform/ingress/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress\n",
                "cluster/kubernetes/platform/metrics-server.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: metrics-server\n  namespace: kube-system\n",
            ], expectedPaths: ["cluster/kubernetes/platform/metrics-server.yaml"]),
            RuleExample("a loose notes file", files: [
                "cluster/kubernetes/platform/ingress/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress\n",
                "cluster/kubernetes/platform/values.txt": "replicas=2\n",
            ], expectedPaths: ["cluster/kubernetes/platform/values.txt"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        context.snapshot.filesDirectly(in: ContractPaths.platform)
            .filter { !ContractPaths.allowedLooseFiles.contains($0.name) }
            .map { file in
                finding("\(file.name) sits directly in platform/; move it into the folder of its concern (platform/<concern>/), since only kustomization.yaml and README.md belong beside the concern folders", at: file.path)
            }
    }
}
