import Flux
import HomeportCore
import Manifests

/// `k8s.schema`: every rendered object validates against its JSON schema.
struct SchemaRule: Rule {
    static let description = RuleDescription(
        id: "k8s.schema",
        summary: "Every object the Flux tree renders validates against its JSON schema: built-in Kubernetes kinds of the cluster's minor, CRDs in the repository, schema locations, or the built-in CRD snapshot (whose unknown fields are warnings); kinds without any schema are one notice.",
        rationale: "Contract 2.1: a wrong field type or a misspelt field fails the whole Kustomization in the cluster, or is silently dropped.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("valid custom resource", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- widget.yaml\n",
                "cluster/crds/widget.yaml": SchemaRuleExamples.crd,
                "cluster/kubernetes/flux/widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: flux-system\nspec:\n  size: 3\n  color: blue\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("wrong type and unknown field", files: [
                "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- widget.yaml\n",
                "cluster/crds/widget.yaml": SchemaRuleExamples.crd,
                "cluster/kubernetes/flux/widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: flux-system\nspec:\n  size: ↓three\n  ↓colour: blue\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        guard let flux = context.flux else { return [] }
        var findings: [Finding] = []
        var missingKinds: [String: String] = [:]
        var validated: Set<String> = []
        var usedBuiltinKubernetes = false
        for (_, object) in flux.tree.renderedObjects {
            let identity = "\(object.apiVersion)/\(object.kind)/\(object.namespace)/\(object.name)/\(object.sourcePath)"
            guard validated.insert(identity).inserted, !object.apiVersion.isEmpty, !object.kind.isEmpty else { continue }
            switch context.schemas.lookup(apiVersion: object.apiVersion, kind: object.kind) {
            case .found(let schema, let validator, let origin):
                usedBuiltinKubernetes = usedBuiltinKubernetes || origin.hasPrefix("built-in Kubernetes")
                let node = object.isSOPSEncrypted ? object.node.mapping.map { mapping in
                    var copy = mapping
                    copy.entries.removeAll { $0.key.scalar?.value == "sops" }
                    return YAMLNode.mapping(copy)
                } ?? object.node : object.node
                for violation in validator.validate(node, against: schema).prefix(20) {
                    let field = violation.path.isEmpty ? "" : "\(violation.path): "
                    let lenient = violation.isUnknownField && validator.unknownFieldsAreWarnings
                    let why = lenient ? "; the built-in CRD snapshot may predate your chart's version, add the CRD to the repository to check against it" : ""
                    var found = finding("\(object.kind) \(object.name): \(field)\(violation.message) (\(origin) of \(object.apiVersion) \(object.kind)\(why))",
                                        at: object.sourcePath, mark: violation.mark.line > 0 ? violation.mark : nil)
                    if lenient { found.severity = .warning }
                    findings.append(found)
                }
            case .missing:
                let key = "\(object.kind) (\(object.apiVersion))"
                if missingKinds[key] == nil { missingKinds[key] = object.sourcePath }
            }
        }
        // One notice for every kind no schema covers: naming them is useful, a warning each is noise.
        if !missingKinds.isEmpty {
            let list = missingKinds.sorted { $0.key < $1.key }.map { "\($0.key) in \($0.value)" }
            var notice = finding("no JSON schema for \(list.joined(separator: ", ")), so these objects were not schema-checked; add the CRDs to the repository or pass --schema-location DIR (a {group}/{kind}_{version}.json catalog)",
                                 at: flux.entrypoint)
            notice.severity = .notice
            findings.append(notice)
        }
        if usedBuiltinKubernetes, let substitution = context.schemas.kubernetes.substitution {
            var notice = finding(substitution + "; pass --kubernetes-version to choose", at: flux.entrypoint)
            notice.severity = .notice
            findings.append(notice)
        }
        return findings
    }
}

enum SchemaRuleExamples {
    static let crd = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      names:
        kind: Widget
        plural: widgets
      scope: Namespaced
      versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    size:
                      type: integer
                    color:
                      type: string
    """
}
