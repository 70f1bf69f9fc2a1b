import HomeportCore
import Kustomize
import Manifests

/// `k8s.parse`: YAML parses, and Kubernetes documents carry apiVersion, kind and metadata.name.
struct ParseRule: Rule {
    static let description = RuleDescription(
        id: "k8s.parse",
        summary: "Every YAML file parses, and every document under cluster/kubernetes has apiVersion, kind and metadata.name.",
        rationale: "Contract 2.1: every manifest Flux reconciles must be valid and apply-able; a file that does not parse stops a whole Kustomization.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("valid object", files: [
                "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
            ]),
            RuleExample("replacements loaded from a file", files: [
                "cluster/kubernetes/apps/demo/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\nreplacements:\n  - path: replacement.yaml\n",
                "cluster/kubernetes/apps/demo/replacement.yaml": "source:\n  kind: ConfigMap\n  name: settings\n  fieldPath: data.host\ntargets: []\n",
            ]),
            RuleExample("kustomization without a name", files: [
                "cluster/kubernetes/apps/demo/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("syntax error", files: [
                "config/clusters/x.yaml": "name: x\nnodes: [a, b\n↓",
            ]),
            RuleExample("duplicate key", files: [
                "cluster/kubernetes/apps/demo/ns.yaml": "apiVersion: v1\nkind: Namespace\n↓metadata:\n  name: a\nmetadata:\n  name: b\n",
            ]),
            RuleExample("missing name", files: [
                "cluster/kubernetes/apps/demo/ns.yaml": "↓apiVersion: v1\nkind: Namespace\nmetadata: {}\n",
            ]),
        ]
    )

    /// Kinds that are kustomize configuration rather than cluster objects: they have no name.
    static let unnamedKinds: Set<String> = ["Kustomization", "Component"]

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let replacementFiles = Self.replacementFiles(context.snapshot)
        for file in context.snapshot.files where file.isYAML {
            switch file.content {
            case .binary:
                findings.append(finding("\(file.name) has a YAML name but holds binary data", at: file.path))
                continue
            case .notUTF8:
                findings.append(finding("\(file.name) is not valid UTF-8", at: file.path))
                continue
            default:
                break
            }
            if let error = file.yaml?.error {
                findings.append(finding("YAML does not parse: \(error.message)", at: file.path, mark: error.mark))
            }
            // Replacements a kustomization loads from a file are configuration, not objects.
            guard file.isInside("cluster/kubernetes"), !replacementFiles.contains(file.path) else { continue }
            for document in file.documents {
                findings += checkObject(document)
            }
        }
        return findings
    }

    /// Files listed as `replacements: - path: FILE` by a kustomization.
    static func replacementFiles(_ snapshot: RepoSnapshot) -> Set<String> {
        var paths: Set<String> = []
        for file in snapshot.files where Kustomizer.fileNames.contains(file.name) {
            for item in file.documents.first?.root["replacements"]?.sequence?.items ?? [] {
                if let path = item["path"]?.string { paths.insert(KustomizePath.join(file.directory, path)) }
            }
        }
        return paths
    }

    private func checkObject(_ document: ManifestDocument) -> [Finding] {
        guard document.root.mapping != nil else {
            if document.root.isNull { return [] }
            return [finding("document \(document.index + 1) is not a mapping, so it is not a Kubernetes object", at: document.path, mark: document.root.mark)]
        }
        var missing: [String] = []
        if document.apiVersion == nil { missing.append("apiVersion") }
        if document.kind == nil { missing.append("kind") }
        let isKustomizeConfig = document.apiVersion?.hasPrefix("kustomize.config.k8s.io/") == true
        if document.name == nil, !(isKustomizeConfig && Self.unnamedKinds.contains(document.kind ?? "")) {
            missing.append("metadata.name")
        }
        guard !missing.isEmpty else { return [] }
        return [finding("document \(document.index + 1) has no \(missing.joined(separator: ", "))", at: document.path, mark: document.root.mark)]
    }
}
