import Flux
import HomeportCore
import Manifests

/// `flux.reachable`: every folder under platform/ and apps/ is reconciled by a Flux
/// Kustomization reachable from the entrypoint.
struct FluxReachableRule: Rule {
    static let layers = ["cluster/kubernetes/platform", "cluster/kubernetes/apps"]

    static let description = RuleDescription(
        id: "flux.reachable",
        summary: "Every folder under cluster/kubernetes/platform and cluster/kubernetes/apps is reconciled by a Flux Kustomization reachable from the entrypoint.",
        rationale: "Contract 2.1: a folder no Kustomization renders is never applied, so changes to it silently do nothing.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("app listed by the apps layer", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- apps.yaml\n",
                "cluster/kubernetes/flux/apps.yaml": FluxRuleExamples.kustomization("apps", path: "./cluster/kubernetes/apps"),
                "cluster/kubernetes/apps/kustomization.yaml": "resources:\n- demo\n",
                "cluster/kubernetes/apps/demo/kustomization.yaml": "resources:\n- ns.yaml\n",
                "cluster/kubernetes/apps/demo/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("app folder nobody lists", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- apps.yaml\n",
                "cluster/kubernetes/flux/apps.yaml": FluxRuleExamples.kustomization("apps", path: "./cluster/kubernetes/apps"),
                "cluster/kubernetes/apps/kustomization.yaml": "resources:\n- demo\n",
                "cluster/kubernetes/apps/demo/kustomization.yaml": "resources:\n- ns.yaml\n",
                "cluster/kubernetes/apps/demo/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
                "cluster/kubernetes/apps/forgotten/kustomization.yaml": "resources:\n- ns.yaml\n",
                "cluster/kubernetes/apps/forgotten/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: forgotten\n",
            ], expectedPaths: ["cluster/kubernetes/apps/forgotten"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        guard let flux = context.flux else { return [] }
        var covered: Set<String> = []
        for kustomization in flux.tree.kustomizations where kustomization.isLocal {
            covered.insert(kustomization.path)
            for object in kustomization.objects {
                var folder = object.sourcePath
                while let slash = folder.lastIndex(of: "/") {
                    folder = String(folder[..<slash])
                    guard covered.insert(folder).inserted else { break }
                }
            }
        }
        var findings: [Finding] = []
        for layer in Self.layers where context.snapshot.directories.contains(layer) {
            for name in context.snapshot.subdirectories(of: layer) {
                let folder = layer + "/" + name
                let hasManifests = context.snapshot.files(under: folder).contains { $0.isYAML }
                guard hasManifests, !covered.contains(folder), !covered.contains(where: { $0.hasPrefix(folder + "/") }) else { continue }
                findings.append(finding("\(folder) is not rendered by any Flux Kustomization reachable from \(flux.entrypoint); list it in \(layer)/kustomization.yaml or point a Kustomization's spec.path at it", at: folder))
            }
        }
        return findings
    }
}

/// Building blocks for the Flux rules' examples.
enum FluxRuleExamples {
    static func kustomization(_ name: String, path: String, extra: String = "") -> String {
        """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: \(name)
          namespace: flux-system
        spec:
          interval: 1h
          path: \(path)
          prune: true
          sourceRef:
            kind: GitRepository
            name: flux-system
        \(extra)
        """
    }
}
