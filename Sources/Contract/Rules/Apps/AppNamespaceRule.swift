import HomeportCore
import Manifests

/// `apps.namespace`: one app = one folder = one namespace.
struct AppNamespaceRule: Rule {
    static let description = RuleDescription(
        id: "apps.namespace",
        summary: "Each app folder declares its namespace with a Namespace object and keeps its objects in it (directly or through its kustomization's namespace); two app folders sharing a namespace is a warning.",
        rationale: "Contract 2.1: one app = one folder = one namespace (usually). The folder owns its namespace, so removing the folder removes the app, and apps do not reach into each other's namespaces. The Flux Kustomization that reconciles an app may live in flux-system.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("a namespace, objects in it, and one relying on the kustomization", files: [
                "cluster/kubernetes/apps/jellyfin/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: jellyfin\nresources:\n  - namespace.yaml\n  - helmrelease.yaml\n  - pv.yaml\n",
                "cluster/kubernetes/apps/jellyfin/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jellyfin\n",
                "cluster/kubernetes/apps/jellyfin/helmrelease.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: jellyfin\n",
                "cluster/kubernetes/apps/jellyfin/pv.yaml": "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: jellyfin-media\nspec:\n  capacity:\n    storage: 1Ti\n  accessModes: [ReadOnlyMany]\n  nfs:\n    server: 192.168.1.112\n    path: /volume1/media\n",
                "cluster/kubernetes/apps/demo-game/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo-game\n",
                "cluster/kubernetes/apps/demo-game/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: demo-game\n  namespace: demo-game\nspec:\n  ports:\n    - port: 80\n",
                "cluster/kubernetes/apps/demo-game/ks.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: demo-game\n  namespace: flux-system\nspec:\n  targetNamespace: demo-game\n  path: ./cluster/kubernetes/apps/demo-game\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("an object in another namespace", files: [
                "cluster/kubernetes/apps/nextcloud/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: nextcloud\n",
                "cluster/kubernetes/apps/nextcloud/redis.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: redis\n  namespace: ↓databases\n",
                "cluster/kubernetes/apps/nextcloud/service.yaml": "↓apiVersion: v1\nkind: Service\nmetadata:\n  name: nextcloud\n",
            ]),
            RuleExample("a HelmRelease deploying into another namespace", files: [
                "cluster/kubernetes/apps/jellyfin/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jellyfin\n",
                "cluster/kubernetes/apps/jellyfin/helmrelease.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: jellyfin\n  namespace: jellyfin\nspec:\n  ↓targetNamespace: media\n  interval: 1h\n",
            ]),
            RuleExample("a folder without a Namespace object", files: [
                "cluster/kubernetes/apps/ai-studio/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n↓namespace: ai-studio\nresources:\n  - deployment.yaml\n",
                "cluster/kubernetes/apps/ai-studio/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: open-webui\n",
            ]),
            RuleExample("a kustomization moving objects to another namespace", files: [
                "cluster/kubernetes/apps/ai-studio/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ↓ai\nresources:\n  - namespace.yaml\n",
                "cluster/kubernetes/apps/ai-studio/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ai-studio\n",
            ]),
            RuleExample("two apps sharing a namespace (a warning)", files: [
                "cluster/kubernetes/apps/jellyfin/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: media\n",
                "cluster/kubernetes/apps/sonarr/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ↓media\n",
            ]),
        ]
    )

    struct App {
        var folder: String
        var namespace: String
        var path: String
        var mark: Mark
    }

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        var owners: [String: App] = [:]
        for name in context.snapshot.subdirectories(of: ContractPaths.apps) {
            let folder = ContractPaths.apps + "/" + name
            let (appFindings, app) = checkApp(folder, files: context.yamlFiles(under: folder))
            findings += appFindings
            guard let app else { continue }
            if let owner = owners[app.namespace] {
                var shared = finding("namespace '\(app.namespace)' is also the namespace of \(owner.folder); one app = one namespace, so give this app its own unless the two really are one app", at: app.path, mark: app.mark)
                shared.severity = .warning
                findings.append(shared)
            } else {
                owners[app.namespace] = app
            }
        }
        return findings
    }

    private func checkApp(_ folder: String, files: [RepoFile]) -> ([Finding], App?) {
        var findings: [Finding] = []
        let documents = files.flatMap(\.documents)
        let namespaces = documents.filter(KubernetesFacts.isNamespace)
        // Kustomizations that set a namespace, by the folder they cover.
        var kustomizeNamespaces: [(directory: String, name: String, path: String, mark: Mark)] = []
        for file in files where file.isKustomization {
            if let node = file.documents.first?.root["namespace"], let name = node.string {
                kustomizeNamespaces.append((file.directory, name, file.path, node.mark))
            }
        }
        var app: App?
        if let first = namespaces.first, let name = first.name {
            app = App(folder: folder, namespace: name, path: first.path, mark: first.root[path: "metadata.name"]?.mark ?? first.root.mark)
            for extra in namespaces.dropFirst() where extra.name != name {
                findings.append(finding("a second Namespace ('\(extra.name ?? "")') in \(folder); one app = one namespace, so move what lives there to its own app folder", at: extra.path, mark: extra.root[path: "metadata.name"]?.mark ?? extra.kindMark))
            }
        } else {
            let message = "\(folder) declares no Namespace; add a namespace.yaml (kind: Namespace) so the app owns its namespace"
            if let declared = kustomizeNamespaces.first {
                findings.append(finding(message, at: declared.path, mark: declared.mark))
            } else {
                findings.append(finding(message, at: folder))
            }
            return (findings, nil)
        }
        guard let namespace = app?.namespace else { return (findings, app) }
        for declared in kustomizeNamespaces where declared.name != namespace && !declared.name.contains("${") {
            findings.append(finding("this kustomization moves the app's objects to namespace '\(declared.name)', but the app's namespace is '\(namespace)'", at: declared.path, mark: declared.mark))
        }
        for document in documents where KubernetesFacts.isClusterObject(document) {
            guard let kind = document.kind, !KubernetesFacts.clusterScopedKinds.contains(kind) else { continue }
            if let target = NamespaceUse.targetNamespace(of: document), target.namespace != namespace, !target.namespace.contains("${") {
                findings.append(finding("\(kind) \(document.name ?? "") deploys into namespace '\(target.namespace)', but this app's namespace is '\(namespace)'", at: document.path, mark: target.mark))
            }
            if let node = document.root[path: "metadata.namespace"], let written = node.string {
                if written == namespace || written.contains("${") { continue }
                if written == "flux-system", KubernetesFacts.isFluxKustomization(document) { continue }
                findings.append(finding("\(kind) \(document.name ?? "") is in namespace '\(written)', but this app's namespace is '\(namespace)'; keep the app's objects in its own namespace", at: document.path, mark: node.mark))
            } else if !kustomizeNamespaces.contains(where: { document.path.hasPrefix($0.directory + "/") }) {
                findings.append(finding("\(kind) \(document.name ?? "") has no metadata.namespace and no kustomization sets one; add namespace: \(namespace)", at: document.path, mark: document.root.mark))
            }
        }
        return (findings, app)
    }
}
