import Flux
import HomeportCore
import Manifests

/// `flux.decryption`: Kustomizations that reconcile SOPS files decrypt them.
struct FluxDecryptionRule: Rule {
    static let description = RuleDescription(
        id: "flux.decryption",
        summary: "Flux Kustomizations that reconcile SOPS-encrypted files have decryption.provider: sops (directly or patched in by a parent).",
        rationale: "Contract 10: without decryption Flux applies the encrypted text, or fails, instead of the secret.",
        contractSections: ["10"],
        nonTriggeringExamples: [
            RuleExample("decrypting Kustomization", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- app.yaml\n",
                "cluster/kubernetes/flux/app.yaml": FluxRuleExamples.kustomization("app", path: "./cluster/kubernetes/apps", extra: "  decryption:\n    provider: sops\n"),
                "cluster/kubernetes/apps/secret.sops.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: ENC[AES256_GCM,data:x,type:str]\nsops:\n  version: 3.9.0\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("SOPS file without decryption", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- app.yaml\n",
                "cluster/kubernetes/flux/app.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  ↓name: app\n  namespace: flux-system\nspec:\n  path: ./cluster/kubernetes/apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
                "cluster/kubernetes/apps/secret.sops.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: ENC[AES256_GCM,data:x,type:str]\nsops:\n  version: 3.9.0\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        guard let flux = context.flux else { return [] }
        var findings: [Finding] = []
        for kustomization in flux.tree.kustomizations where kustomization.isLocal {
            let encrypted = kustomization.objects.filter(\.isSOPSEncrypted)
            guard let first = encrypted.first else { continue }
            guard kustomization.spec?[path: "decryption.provider"]?.string != "sops" else { continue }
            let mark = kustomization.node[path: "metadata.name"]?.mark
            let files = Set(encrypted.map(\.sourcePath)).sorted()
            let more = files.count > 1 ? " and \(files.count - 1) more" : ""
            findings.append(finding("Kustomization \(kustomization.reference.name) applies SOPS-encrypted \(first.sourcePath)\(more) but has no decryption.provider: sops; add spec.decryption (provider: sops, secretRef: sops-age)",
                                    at: kustomization.location.path, mark: kustomization.parent == nil ? nil : mark))
        }
        return findings
    }
}
