@testable import Contract
import Foundation
import HomeportCore
import Manifests
import TestSupport
import Testing

/// Edge cases of the manifest and script rules that in-memory examples cannot express.
struct ManifestRuleTests {
    private func findings(_ rule: any Rule.Type, _ files: [String: String]) -> [Finding] {
        Checker(rules: [rule]).check(RepoScanner.snapshot(files: files))
    }

    @Test func executableFilesUnderKubernetesAreFindings() {
        let executable = RepoScanner.makeFile(path: "cluster/kubernetes/apps/demo/run", size: 10, isExecutable: true, content: .text("kubectl get pods\n"))
        let manifest = RepoScanner.makeFile(path: "cluster/kubernetes/apps/demo/namespace.yaml", size: 10, isExecutable: false,
                                            content: .text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n"))
        let snapshot = RepoSnapshot(root: "/repo", files: [executable, manifest])
        let result = Checker(rules: [PureRule.self]).check(snapshot)
        #expect(result.map(\.location.path) == ["cluster/kubernetes/apps/demo/run"])
        #expect(result.first?.message.contains("executable") == true)
    }

    @Test func executableScriptsWithoutExtensionAreReadAsShell() {
        let script = RepoScanner.makeFile(path: "scripts/deploy", size: 10, isExecutable: true, content: .text("kubectl apply -f x.yaml\n"))
        let snapshot = RepoSnapshot(root: "/repo", files: [script])
        #expect(Checker(rules: [DelegateRule.self]).check(snapshot).map(\.location.line) == [1])
    }

    @Test func sharedNamespaceIsAWarningAndOtherFindingsAreErrors() {
        let result = findings(AppNamespaceRule.self, [
            "cluster/kubernetes/apps/a/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: media\n",
            "cluster/kubernetes/apps/b/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: media\n",
            "cluster/kubernetes/apps/b/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: other\n",
        ])
        #expect(result.map(\.severity).sorted { $0.rawValue < $1.rawValue } == [.error, .warning])
        #expect(result.first { $0.severity == .warning }?.location.path == "cluster/kubernetes/apps/b/namespace.yaml")
    }

    @Test func appNamespaceCoversNestedKustomizationsAndSubstitutions() {
        let result = findings(AppNamespaceRule.self, [
            "cluster/kubernetes/apps/web/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n",
            "cluster/kubernetes/apps/web/app/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: web\nresources: [deploy.yaml]\n",
            "cluster/kubernetes/apps/web/app/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
            "cluster/kubernetes/apps/web/app/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: ${APP_NAMESPACE}\n",
        ])
        #expect(result.isEmpty, "\(result.map(\.message))")
    }

    @Test func platformNamespacesIgnoreSubstitutionsAndHelmCreatedNamespaces() {
        let result = findings(PlatformNamespacesRule.self, [
            "cluster/kubernetes/platform/x/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ${NS}\n",
            "cluster/kubernetes/platform/x/hr.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: b\n  namespace: flux-system\nspec:\n  targetNamespace: made-by-helm\n  install:\n    createNamespace: true\n",
        ])
        #expect(result.isEmpty, "\(result.map(\.message))")
    }

    @Test func duplicatesRespectTheKustomizationNamespaceAndIgnoreGeneratorFiles() {
        let base = [
            "cluster/kubernetes/apps/x/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml, b.yaml]\nconfigMapGenerator:\n  - name: cfg\n    files:\n      - settings=c.yaml\n",
            "cluster/kubernetes/apps/x/a.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: one\n",
            "cluster/kubernetes/apps/x/b.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: two\n",
            "cluster/kubernetes/apps/x/c.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: one\n",
        ]
        #expect(findings(IdempotentRule.self, base).isEmpty)
        var collapsed = base
        collapsed["cluster/kubernetes/apps/x/kustomization.yaml"] = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: x\nresources: [a.yaml, b.yaml]\n"
        // With one namespace for the folder, a, b and c are all Service x/s.
        #expect(findings(IdempotentRule.self, collapsed).map(\.location.path) == ["cluster/kubernetes/apps/x/b.yaml", "cluster/kubernetes/apps/x/c.yaml"])
    }

    @Test func clusterPathsAreRecognised() {
        for path in ["cluster/a.yaml", "./cluster/kubernetes/", "../../cluster/talos", "$ROOT/cluster/x", "${REPO}/cluster", "$(git rev-parse --show-toplevel)/cluster/y"] {
            #expect(NoClusterWritesRule.pointsIntoCluster(path), "\(path)")
        }
        for path in ["config/clusters/a.yaml", "/tmp/cluster-backup/a", "$HOME/.kube/cluster/x", "clusters/x", "logs/cluster.log", "/var/lib/cluster/x"] {
            #expect(!NoClusterWritesRule.pointsIntoCluster(path), "\(path)")
        }
    }

    @Test func variablesAssignedEarlierAreFollowed() {
        let script = "#!/bin/sh\nBASE=cluster/kubernetes\nexport TARGET=\"$BASE/platform\"\necho hi > \"$TARGET/x.yaml\"\nTARGET2=/tmp\necho hi > \"${TARGET2}/x.yaml\"\n"
        let result = findings(NoClusterWritesRule.self, ["infrastructure/proxmox/x.sh": script])
        #expect(result.map(\.location.line) == [4])
    }

    @Test func inPlaceEditorsNeedTheInPlaceFlag() {
        let script = "#!/bin/sh\nsed 's/a/b/' cluster/talos/x.yaml > /tmp/x\nyq -i '.a = 1' cluster/talos/x.yaml\nsops --encrypt --in-place cluster/kubernetes/apps/a/secret.sops.yaml\ngrep -i vip cluster/talos/x.yaml\n"
        let result = findings(NoClusterWritesRule.self, ["infrastructure/proxmox/x.sh": script])
        #expect(result.map(\.location.line) == [3, 4])
    }

    @Test func onlyShellScriptsAreReadAsScripts() {
        let result = findings(DelegateRule.self, [
            "scripts/README.md": "Run `kubectl apply -f x` only in emergencies.\n",
            "scripts/notes.txt": "kubectl apply -f x\n",
            "scripts/run.sh": "kubectl get pods # kubectl apply\n",
        ])
        #expect(result.isEmpty)
    }

    @Test func talosKustomizeOverlaysAndBareV1Alpha1AreTalos() {
        let result = findings(OnlyTalosRule.self, [
            "cluster/talos/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n",
            "cluster/talos/a.yaml": "apiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        ])
        #expect(result.map { "\($0.location.path):\($0.location.line ?? 0)" } == ["cluster/talos/a.yaml:6"])
    }
}
