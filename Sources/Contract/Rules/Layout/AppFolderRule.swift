import HomeportCore
import Manifests

/// `layout.app-folder`: apps/ holds one folder per app, each named like a namespace.
struct AppFolderRule: Rule {
    static let description = RuleDescription(
        id: "layout.app-folder",
        summary: "cluster/kubernetes/apps/ holds one folder per app, named as a valid DNS label; only kustomization.yaml and README.md sit directly in it.",
        rationale: "Contract 2.1: one app = one folder = one namespace. A manifest loose in apps/ belongs to no app, and a folder name that is not a DNS label cannot be the app's namespace.",
        contractSections: ["2.1"],
        nonTriggeringExamples: [
            RuleExample("app folders and the apps kustomization", files: [
                "cluster/kubernetes/apps/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - jellyfin\n  - ai-studio\n",
                "cluster/kubernetes/apps/jellyfin/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jellyfin\n",
                "cluster/kubernetes/apps/ai-studio/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ai-studio\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a loose manifest in apps/", files: [
                "cluster/kubernetes/apps/jellyfin/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jellyfin\n",
                "cluster/kubernetes/apps/whoami.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: whoami\n  namespace: default\n",
            ], expectedPaths: ["cluster/kubernetes/apps/whoami.yaml"]),
            RuleExample("an app folder that cannot be a namespace", files: [
                "cluster/kubernetes/apps/Home_Assistant/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: home-assistant\n",
            ], expectedPaths: ["cluster/kubernetes/apps/Home_Assistant"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        let apps = ContractPaths.apps
        var findings = context.snapshot.filesDirectly(in: apps)
            .filter { !ContractPaths.allowedLooseFiles.contains($0.name) }
            .map { file in
                finding("\(file.name) sits directly in apps/; put it in the folder of the app it belongs to (apps/<app>/), since only kustomization.yaml and README.md belong beside the app folders", at: file.path)
            }
        for folder in context.snapshot.subdirectories(of: apps) where !KubernetesFacts.isDNSLabel(folder) {
            findings.append(finding("app folder '\(folder)' is not a valid DNS label (lower-case letters, digits and '-', at most 63 characters), so it cannot name the app's namespace; rename it", at: apps + "/" + folder))
        }
        return findings
    }
}
