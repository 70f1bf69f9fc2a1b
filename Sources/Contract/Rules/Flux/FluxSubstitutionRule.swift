import Flux
import HomeportCore
import Manifests

/// `flux.substitution`: every `${VAR}` under postBuild is defined or has a default.
struct FluxSubstitutionRule: Rule {
    static let description = RuleDescription(
        id: "flux.substitution",
        summary: "Every ${VAR} that postBuild substitutes is defined (substitute, substituteFrom) or has a default.",
        rationale: "Contract 2.1: an undefined ${VAR} silently becomes an empty string in the cluster.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("defined, defaulted and escaped", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- app.yaml\n",
                "cluster/kubernetes/flux/app.yaml": FluxRuleExamples.kustomization("app", path: "./cluster/kubernetes/apps", extra: "  postBuild:\n    substitute:\n      APP: demo\n"),
                "cluster/kubernetes/apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}\ndata:\n  size: ${SIZE:=1Gi}\n  script: echo $${HOME}\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("undefined variable", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- app.yaml\n",
                "cluster/kubernetes/flux/app.yaml": FluxRuleExamples.kustomization("app", path: "./cluster/kubernetes/apps", extra: "  postBuild:\n    substitute:\n      APP: demo\n"),
                "cluster/kubernetes/apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}\ndata:\n  host: ↓${APP}.${DOMAIN}\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        guard let flux = context.flux else { return [] }
        var findings: [Finding] = []
        var seen: Set<String> = []
        for problem in flux.tree.allProblems where problem.kind == .undefinedVariable || problem.kind == .substitutionSource {
            let key = "\(problem.location.path):\(problem.location.line ?? 0):\(problem.variable ?? problem.message)"
            guard seen.insert(key).inserted else { continue }
            let message = problem.kind == .undefinedVariable
                ? problem.message + "; define it in postBuild.substitute or give a default with ${\(problem.variable ?? "VAR"):=value}"
                : problem.message
            findings.append(finding(message, at: problem.location.path, line: problem.location.line ?? 1))
        }
        // Encrypted substituteFrom Secrets are rendered with placeholders: say so, once each.
        for problem in flux.tree.allProblems where problem.kind == .encryptedSubstitution || problem.kind == .substitutionSourceOutsideTree {
            let key = "\(problem.location.path):\(problem.location.line ?? 0):\(problem.message)"
            guard seen.insert(key).inserted else { continue }
            let suffix = problem.kind == .encryptedSubstitution ? " (values are checked for presence only)" : ""
            var notice = finding(problem.message + suffix, at: problem.location.path, line: problem.location.line ?? 1)
            notice.severity = .notice
            findings.append(notice)
        }
        return findings
    }
}
