import HomeportCore
import Manifests

/// `synology.no-manifests`: synology/ describes the NAS, it does not hold Kubernetes objects.
struct SynologyNoManifestsRule: Rule {
    static let description = RuleDescription(
        id: "synology.no-manifests",
        summary: "No Kubernetes manifests (YAML documents with apiVersion and kind) under synology/.",
        rationale: "Contract 6: synology/ describes the external storage the cluster depends on (exports, shares, backup jobs); the cluster's side of it, such as an NFS provisioner or a PersistentVolume, lives under cluster/kubernetes where Flux applies it.",
        contractSections: ["6"],
        nonTriggeringExamples: [
            RuleExample("export definitions and notes", files: [
                "synology/exports.yaml": "nfs:\n  - path: /volume1/k8s\n    clients:\n      - 192.168.1.0/24\n    squash: no_mapping\n",
                "synology/README.md": "# Synology\n\nThe NFS provisioner in cluster/kubernetes/platform/storage uses /volume1/k8s.\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a PersistentVolume kept with the NAS notes", files: [
                "synology/exports.yaml": "nfs:\n  - path: /volume1/k8s\n",
                "synology/media-pv.yaml": "apiVersion: v1\n↓kind: PersistentVolume\nmetadata:\n  name: media\nspec:\n  nfs:\n    server: 192.168.1.112\n    path: /volume1/media\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        context.objects(under: ContractPaths.synology).map { document in
            finding("\(document.kind ?? "object") \(document.name ?? "") is a Kubernetes manifest; synology/ only describes the NAS, so move it under cluster/kubernetes", at: document.path, mark: document.kindMark)
        }
    }
}
