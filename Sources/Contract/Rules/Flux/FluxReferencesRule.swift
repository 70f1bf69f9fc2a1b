import Flux
import HomeportCore
import Manifests

/// `flux.references`: paths, sourceRefs, dependsOn and chart sources resolve; no dependsOn cycles.
struct FluxReferencesRule: Rule {
    static let description = RuleDescription(
        id: "flux.references",
        summary: "Flux Kustomization paths exist; sourceRefs, dependsOn and HelmRelease chart sources resolve; dependsOn has no cycles.",
        rationale: "Contract 2.1: a dangling reference or a dependsOn cycle leaves Kustomizations and HelmReleases waiting forever in the cluster.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("chain of dependencies", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- ks.yaml\n",
                "cluster/kubernetes/flux/ks.yaml": FluxRuleExamples.kustomization("a", path: "./cluster/kubernetes/apps") + "\n---\n"
                    + FluxRuleExamples.kustomization("b", path: "./cluster/kubernetes/apps", extra: "  dependsOn:\n    - name: a\n"),
                "cluster/kubernetes/apps/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("missing path, missing dependency, cycle, missing chart source", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- ks.yaml\n- hr.yaml\n",
                "cluster/kubernetes/flux/ks.yaml": """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: a
                  namespace: flux-system
                spec:
                  ↓path: ./cluster/kubernetes/nowhere
                  sourceRef:
                    kind: GitRepository
                    name: flux-system
                  dependsOn:
                    ↓- name: ghost
                    - name: b
                ---
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: b
                  namespace: flux-system
                spec:
                  path: ./cluster/kubernetes/flux
                  sourceRef:
                    kind: ↓GitRepository
                    name: elsewhere
                  dependsOn:
                    ↓- name: a
                """,
                "cluster/kubernetes/flux/hr.yaml": """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: web
                  namespace: flux-system
                spec:
                  chartRef:
                    kind: ↓OCIRepository
                    name: web
                """,
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        guard let flux = context.flux else { return [] }
        let tree = flux.tree
        var findings: [Finding] = []
        let known = Set(tree.kustomizations.map(\.reference))
        let sources = tree.sources
        for kustomization in tree.kustomizations where kustomization.parent != nil {
            let spec = kustomization.spec
            if kustomization.isLocal, !context.snapshot.directories.contains(kustomization.path) {
                findings.append(finding("spec.path '\(spec?["path"]?.string ?? "")' of Kustomization \(kustomization.reference.name) does not exist in the repository; fix the path (it is relative to the repository root)",
                                        at: kustomization.location.path, mark: spec?["path"].flatMap { _ in spec?.keyMark("path") }))
            }
            if let sourceRef = kustomization.sourceRef, !sources.contains(sourceRef) {
                let kindNode = spec?[path: "sourceRef.kind"]
                findings.append(finding("sourceRef \(sourceRef.kind) \(sourceRef.namespace)/\(sourceRef.name) of Kustomization \(kustomization.reference.name) is not defined anywhere in the Flux tree; add the source or fix the reference",
                                        at: kustomization.location.path, mark: kindNode?.mark))
            }
            for (dependency, location) in kustomization.dependsOn where !known.contains(dependency) {
                findings.append(finding("dependsOn \(dependency.namespace)/\(dependency.name) of Kustomization \(kustomization.reference.name) does not exist in the Flux tree; it would wait forever",
                                        at: location.path, line: location.line ?? 1))
            }
        }
        // Builds that fail on a missing file or a bad reference inside the kustomization.
        for kustomization in tree.kustomizations {
            for problem in kustomization.errors where problem.kind == .build && !problem.message.contains("does not exist in the repository") {
                findings.append(finding("Flux Kustomization \(kustomization.reference.namespace)/\(kustomization.reference.name) does not build: \(problem.message)",
                                        at: problem.location.path, line: problem.location.line ?? 1))
            }
        }
        for problem in tree.problems where problem.kind == .build {
            findings.append(finding(problem.message, at: problem.location.path, line: problem.location.line ?? 1))
        }
        // Remote bases are not fetched: one notice per resource, not a broken build.
        var remoteSeen: Set<String> = []
        for problem in tree.allProblems where problem.kind == .remoteResource {
            guard remoteSeen.insert("\(problem.location.path):\(problem.location.line ?? 0):\(problem.message)").inserted else { continue }
            var notice = finding(problem.message, at: problem.location.path, line: problem.location.line ?? 1)
            notice.severity = .notice
            findings.append(notice)
        }
        findings += cycles(tree)
        findings += chartSources(tree, sources: sources)
        return findings
    }

    /// Every dependsOn cycle, reported once at the dependsOn entry that closes it.
    func cycles(_ tree: FluxTree) -> [Finding] {
        var edges: [FluxReference: [(FluxReference, FluxLocation)]] = [:]
        for kustomization in tree.kustomizations {
            edges[kustomization.reference] = kustomization.dependsOn.map { ($0.reference, $0.location) }
        }
        var findings: [Finding] = []
        var reported: Set<Set<FluxReference>> = []
        var state: [FluxReference: Int] = [:]
        var stack: [FluxReference] = []
        func visit(_ node: FluxReference) {
            state[node] = 1
            stack.append(node)
            for (next, location) in edges[node] ?? [] {
                if state[next] == 1, let start = stack.firstIndex(of: next) {
                    let members = Array(stack[start...])
                    if reported.insert(Set(members)).inserted {
                        let chain = (members + [next]).map(\.name).joined(separator: " → ")
                        findings.append(finding("dependsOn cycle: \(chain); Flux would never reconcile these Kustomizations. Remove one of the dependencies",
                                                at: location.path, line: location.line ?? 1))
                    }
                } else if state[next] == nil, edges[next] != nil {
                    visit(next)
                }
            }
            stack.removeLast()
            state[node] = 2
        }
        for kustomization in tree.kustomizations where state[kustomization.reference] == nil {
            visit(kustomization.reference)
        }
        return findings
    }

    func chartSources(_ tree: FluxTree, sources: Set<FluxReference>) -> [Finding] {
        var findings: [Finding] = []
        for kustomization in tree.kustomizations {
            for object in kustomization.objects where object.kind == "HelmRelease" && object.group == "helm.toolkit.fluxcd.io" {
                let namespace = object.namespace.isEmpty ? kustomization.reference.namespace : object.namespace
                let reference = object.node[path: "spec.chartRef"] ?? object.node[path: "spec.chart.spec.sourceRef"]
                guard let reference, let kind = reference["kind"]?.string, let name = reference["name"]?.string else { continue }
                let target = FluxReference(kind: kind, name: name, namespace: reference["namespace"]?.string ?? namespace)
                guard !sources.contains(target) else { continue }
                findings.append(finding("HelmRelease \(namespace)/\(object.name) uses chart source \(kind) \(target.namespace)/\(name), which is not defined anywhere in the Flux tree",
                                        at: object.sourcePath, mark: reference["kind"]?.mark))
            }
        }
        return findings
    }
}
