import Flux
import HomeportCore
import Manifests

/// `k8s.schema`: every rendered object validates against its JSON schema.
struct SchemaRule: Rule {
    static let description = RuleDescription(
        id: "k8s.schema",
        summary: "Every object the Flux tree renders validates against its Kubernetes or CRD JSON schema (unknown fields are errors); kinds without a schema are warnings.",
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
        var missingKinds: Set<String> = []
        var unvalidatedBuiltins: Set<String> = []
        var validated: Set<String> = []
        for (_, object) in flux.tree.renderedObjects {
            let identity = "\(object.apiVersion)/\(object.kind)/\(object.namespace)/\(object.name)/\(object.sourcePath)"
            guard validated.insert(identity).inserted, !object.apiVersion.isEmpty, !object.kind.isEmpty else { continue }
            switch context.schemas.lookup(apiVersion: object.apiVersion, kind: object.kind) {
            case .found(let schema, let validator, _):
                let node = object.isSOPSEncrypted ? object.node.mapping.map { mapping in
                    var copy = mapping
                    copy.entries.removeAll { $0.key.scalar?.value == "sops" }
                    return YAMLNode.mapping(copy)
                } ?? object.node : object.node
                for violation in validator.validate(node, against: schema).prefix(20) {
                    let field = violation.path.isEmpty ? "" : "\(violation.path): "
                    findings.append(finding("\(object.kind) \(object.name): \(field)\(violation.message) (schema of \(object.apiVersion) \(object.kind))",
                                            at: object.sourcePath, mark: violation.mark.line > 0 ? violation.mark : nil))
                }
            case .missing:
                let key = "\(object.apiVersion) \(object.kind)"
                // Without any schema location, say once which kinds went unchecked; with
                // locations, each kind that none of them covers is a warning of its own.
                if !context.schemas.isConfigured || (context.schemas.builtinDirectory == nil && Self.builtinGroups.contains(object.group)) {
                    unvalidatedBuiltins.insert(object.kind)
                    continue
                }
                guard missingKinds.insert(key).inserted else { continue }
                var missing = finding("no JSON schema for \(key), so its objects are not validated; add its CRD to the repository or a catalog directory with --schema-location",
                                      at: object.sourcePath, mark: object.node["kind"]?.mark)
                missing.severity = .warning
                findings.append(missing)
            }
        }
        if !unvalidatedBuiltins.isEmpty {
            let reason = context.schemas.isConfigured ? "no built-in schema directory among the schema locations" : "no schema location given"
            var notice = finding("\(unvalidatedBuiltins.sorted().joined(separator: ", ")) were not schema-checked (\(reason)); pass --schema-location DIR (kubeconform layout such as the kubernetes-validate package's schemas, or a {group}/{kind}_{version}.json CRD catalog), set HOMEPORT_SCHEMA_LOCATION, or put them under \(SchemaSources.defaultCacheDirectory)",
                                 at: flux.entrypoint)
            notice.severity = .notice
            findings.append(notice)
        }
        return findings
    }

    /// API groups served by Kubernetes itself (their schemas come from the built-in directory).
    static let builtinGroups: Set<String> = [
        "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
        "apiextensions.k8s.io", "admissionregistration.k8s.io", "apiregistration.k8s.io", "certificates.k8s.io",
        "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io", "node.k8s.io",
        "scheduling.k8s.io", "resource.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "internal.apiserver.k8s.io",
        "storagemigration.k8s.io",
    ]
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
