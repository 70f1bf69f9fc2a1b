import HomeportCore
import Manifests

/// `k8s.idempotent`: no `generateName`, and no object defined twice in one folder. (Duplicates
/// across the folders of one Flux build are found by the Flux engine, which renders builds.)
struct IdempotentRule: Rule {
    static let description = RuleDescription(
        id: "k8s.idempotent",
        summary: "Manifests under cluster/kubernetes never use metadata.generateName, and no folder defines the same object (API group, kind, namespace, name) twice.",
        rationale: "Contract 2.1 and 11: manifests are idempotent and safe to apply again. generateName creates a new object on every apply, and two definitions of one object make kustomize fail or make the last one silently win.",
        contractSections: ["2.1", "11"],
        nonTriggeringExamples: [
            RuleExample("distinct objects, a patch of one of them, and a new API version of another kind", files: [
                "cluster/kubernetes/apps/demo/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: demo\nresources:\n  - deployment.yaml\n  - service.yaml\npatches:\n  - path: replicas-patch.yaml\n",
                "cluster/kubernetes/apps/demo/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: demo\n",
                "cluster/kubernetes/apps/demo/replicas-patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: demo\nspec:\n  replicas: 2\n",
                "cluster/kubernetes/apps/demo/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: demo\n",
                "cluster/kubernetes/apps/other/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: demo\n  namespace: other\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("generateName", files: [
                "cluster/kubernetes/apps/demo/job.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  ↓generateName: migrate-\n  namespace: demo\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: []\n",
            ]),
            RuleExample("the same object in two files of one folder", files: [
                "cluster/kubernetes/apps/demo/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: demo\nresources:\n  - configmap.yaml\n  - settings.yaml\n",
                "cluster/kubernetes/apps/demo/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo-settings\ndata:\n  LOG_LEVEL: info\n",
                "cluster/kubernetes/apps/demo/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  ↓name: demo-settings\n  namespace: demo\ndata:\n  LOG_LEVEL: debug\n",
            ]),
            RuleExample("the same object twice in one file, under two API versions", files: [
                "cluster/kubernetes/platform/certs/issuer.yaml": "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\n---\napiVersion: cert-manager.io/v1beta1\nkind: ClusterIssuer\nmetadata:\n  ↓name: letsencrypt\n",
            ]),
        ]
    )

    struct Key: Hashable {
        var group: String
        var kind: String
        var namespace: String
        var name: String
    }

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let files = context.yamlFiles(under: ContractPaths.kubernetes)
        for file in files {
            for document in file.documents {
                if let mark = document.root["metadata"]?.keyMark("generateName") {
                    findings.append(finding("metadata.generateName creates a new object on every apply; give the object a fixed metadata.name", at: file.path, mark: mark))
                }
            }
        }
        let byFolder = Dictionary(grouping: files, by: \.directory)
        for folder in byFolder.keys.sorted() {
            findings += duplicates(in: byFolder[folder] ?? [])
        }
        return findings
    }

    private func duplicates(in files: [RepoFile]) -> [Finding] {
        let kustomization = files.first(where: \.isKustomization)?.documents.first
        let kustomizeNamespace = kustomization?.root["namespace"]?.string
        let notResources = kustomization.map(Self.nonResourceFiles) ?? []
        var seen: [Key: (path: String, line: Int)] = [:]
        var findings: [Finding] = []
        for file in files.sorted(by: { $0.path < $1.path }) where !notResources.contains(file.name) && !file.isKustomization {
            for document in file.documents where KubernetesFacts.isClusterObject(document) {
                guard let identity = document.identity else { continue }
                let namespace = KubernetesFacts.clusterScopedKinds.contains(identity.kind) ? "" : (kustomizeNamespace ?? identity.namespace ?? "")
                let key = Key(group: identity.group, kind: identity.kind, namespace: namespace, name: identity.name)
                let mark = document.root[path: "metadata.name"]?.mark ?? document.root.mark
                if let first = seen[key] {
                    findings.append(finding("\(identity.kind) \(namespace.isEmpty ? "" : namespace + "/")\(identity.name) is already defined at \(first.path):\(first.line); keep one definition (use a kustomize patch to change it)", at: file.path, mark: mark))
                } else {
                    seen[key] = (file.path, mark.line)
                }
            }
        }
        return findings
    }

    /// Files a kustomization reads as patches or generator input: they repeat the identity of
    /// the object they change, or are not objects at all.
    static func nonResourceFiles(_ kustomization: ManifestDocument) -> Set<String> {
        var names: Set<String> = []
        let root = kustomization.root
        for item in (root["patches"]?.sequence?.items ?? []) + (root["patchesJson6902"]?.sequence?.items ?? []) {
            if let path = item["path"]?.string { names.insert(path) }
        }
        for item in root["patchesStrategicMerge"]?.sequence?.items ?? [] {
            if let path = item.string { names.insert(path) }
        }
        for generator in ["configMapGenerator", "secretGenerator"] {
            for item in root[generator]?.sequence?.items ?? [] {
                for file in (item["files"]?.sequence?.items ?? []) + (item["envs"]?.sequence?.items ?? []) {
                    // `key=path` names the key; the file is after the `=`.
                    if let entry = file.string { names.insert(String(entry.split(separator: "=").last ?? Substring(entry))) }
                }
            }
        }
        return Set(names.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 })
    }
}
