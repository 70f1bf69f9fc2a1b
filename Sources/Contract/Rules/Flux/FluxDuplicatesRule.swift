import Flux
import HomeportCore
import Manifests

/// `flux.duplicates`: no object is applied by two Flux Kustomizations, and no Kustomization is
/// defined twice.
struct FluxDuplicatesRule: Rule {
    static let description = RuleDescription(
        id: "flux.duplicates",
        summary: "No object is rendered twice across the Flux tree, and no Flux Kustomization is defined twice.",
        rationale: "Contract 2.1: two Kustomizations owning one object fight over it and prune it from each other.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("distinct objects", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- ks.yaml\n",
                "cluster/kubernetes/flux/ks.yaml": FluxRuleExamples.kustomization("a", path: "./cluster/kubernetes/apps/a") + "\n---\n" + FluxRuleExamples.kustomization("b", path: "./cluster/kubernetes/apps/b"),
                "cluster/kubernetes/apps/a/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n",
                "cluster/kubernetes/apps/b/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("same namespace from two Kustomizations", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- ks.yaml\n",
                "cluster/kubernetes/flux/ks.yaml": FluxRuleExamples.kustomization("a", path: "./cluster/kubernetes/apps/a") + "\n---\n" + FluxRuleExamples.kustomization("b", path: "./cluster/kubernetes/apps/b"),
                "cluster/kubernetes/apps/a/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shared\n",
                "cluster/kubernetes/apps/b/ns.yaml": "↓apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shared\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        guard let flux = context.flux else { return [] }
        var findings = flux.duplicates.map { duplicate in
            finding("\(duplicate.description) is applied by Kustomization \(duplicate.second.kustomization.name) and already by \(duplicate.first.kustomization.name) (\(duplicate.first.location.path)); keep it in one place",
                    at: duplicate.second.location.path, line: duplicate.second.location.line ?? 1)
        }
        for problem in flux.tree.problems where problem.kind == .duplicateKustomization {
            findings.append(finding(problem.message, at: problem.location.path, line: problem.location.line ?? 1))
        }
        return findings
    }
}
