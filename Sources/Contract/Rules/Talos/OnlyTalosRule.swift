import HomeportCore
import Manifests

/// `talos.only-talos`: cluster/talos holds Talos configuration and nothing else.
struct OnlyTalosRule: Rule {
    static let description = RuleDescription(
        id: "talos.only-talos",
        summary: "cluster/talos/ holds only Talos configuration: machine-config patches, Talos config documents, the Image Factory schematic, kustomize overlays and Markdown notes; no Kubernetes objects and no other files.",
        rationale: "Contract 2.1: only Talos-related YAML lives in cluster/talos; Kubernetes manifests and app configuration belong under cluster/kubernetes, where Flux reconciles them.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("patches, multi-document config, schematic and notes", files: [
                "cluster/talos/patches/all/time.yaml": "machine:\n  time:\n    servers:\n      - pool.ntp.org\n",
                "cluster/talos/patches/controlplane/cluster.yaml": "cluster:\n  allowSchedulingOnControlPlanes: true\n",
                "cluster/talos/patches/all/hostname.yaml": "apiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n---\napiVersion: v1alpha1\nkind: RegistryMirrorConfig\nname: docker.io\nendpoints:\n  - url: https://mirror.gcr.io\n",
                "cluster/talos/schematic.yaml": "customization:\n  systemExtensions:\n    officialExtensions:\n      - siderolabs/qemu-guest-agent\n",
                "cluster/talos/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - patches/all/time.yaml\n",
                "cluster/talos/README.md": "# Talos inputs\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a Kubernetes object among the patches", files: [
                "cluster/talos/patches/all/time.yaml": "machine:\n  time:\n    servers:\n      - pool.ntp.org\n",
                "cluster/talos/cilium.yaml": "---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n---\napiVersion: helm.toolkit.fluxcd.io/v2\n↓kind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\n",
            ]),
            RuleExample("a script in the Talos folder", files: [
                "cluster/talos/schematic.yaml": "customization: {}\n",
                "cluster/talos/apply.sh": "#!/bin/sh\ntalosctl apply-config --nodes 192.168.1.214 --file controlplane.yaml\n",
            ], expectedPaths: ["cluster/talos/apply.sh"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for file in context.snapshot.files(under: ContractPaths.talos) {
            if file.fileExtension == "md" { continue }
            guard file.isYAML else {
                findings.append(finding("\(file.name) is not Talos configuration; cluster/talos holds only Talos YAML (and Markdown notes), so move it to the layer it belongs to", at: file.path))
                continue
            }
            for document in file.documents where isKubernetesObject(document) {
                let identity = document.identity.map { "\($0)" } ?? (document.kind ?? "object")
                findings.append(finding("\(identity) is a Kubernetes object; it belongs under cluster/kubernetes (where Flux reconciles it), not in cluster/talos", at: file.path, mark: document.kindMark))
            }
        }
        return findings
    }

    /// Talos documents use the bare `v1alpha1` API version, which no Kubernetes object has
    /// (the core group is `v1`); kustomize overlays over Talos patches are allowed.
    private func isKubernetesObject(_ document: ManifestDocument) -> Bool {
        guard let apiVersion = document.apiVersion, document.kind != nil else { return false }
        return apiVersion != "v1alpha1" && !KubernetesFacts.isKustomizeConfiguration(document)
    }
}
