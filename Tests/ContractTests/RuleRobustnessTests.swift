@testable import Contract
import HomeportCore
import Manifests
import Testing

/// Odd input reaches every rule without a crash, and other files are still checked.
struct RuleRobustnessTests {
    @Test func oddDocumentsNeitherCrashNorHideOtherFindings() {
        let files: [String: String] = [
            "cluster/kubernetes/apps/x/list.yaml": "- a\n- b\n",
            "cluster/kubernetes/apps/x/scalar.yaml": "just text\n",
            "cluster/kubernetes/apps/x/empty.yaml": "",
            "cluster/kubernetes/apps/x/weird.yaml": "apiVersion: [1]\nkind: {a: b}\nmetadata: 3\n",
            "cluster/kubernetes/apps/x/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [x]\n  namespace: {a: 1}\n",
            "cluster/kubernetes/apps/x/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: {a: 1}\npatches: str\nconfigMapGenerator: 3\npatchesStrategicMerge: [{a: 1}]\n",
            "cluster/kubernetes/platform/broken.yaml": "a: [\n",
            "cluster/kubernetes/platform/y/hr.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: y\nspec: [1, 2]\n",
            "cluster/talos/a.yaml": "---\n---\n- 1\n",
            "docs/repo-contract.md": "```\n.\n├\n└─\n│ ├─ /\n├─    \n│  └─ orphan/\n```\n```\nunterminated",
            "scripts/x.sh": "cat <<EOF\n\"unterminated ${x\n$(\n",
            "infrastructure/proxmox/y.sh": "A=\nB=$A/cluster\ncp x \"$B\"\n> \n",
            "synology/pv.yaml": "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: media\n",
        ]
        var snapshotFiles = RepoScanner.snapshot(files: files).files
        snapshotFiles.append(RepoFile(path: "scripts/blob.sh", size: 4, isExecutable: true, content: .binary))
        snapshotFiles.append(RepoFile(path: "cluster/talos/secrets.yaml", size: 9, content: .notUTF8))
        snapshotFiles.append(RepoFile(path: "logs/huge.log", size: 50_000_000, content: .tooLarge(50_000_000)))
        let findings = Checker().check(RepoSnapshot(root: "/repo", files: snapshotFiles))
        #expect(findings.contains { $0.ruleID == "synology.no-manifests" && $0.location.path == "synology/pv.yaml" })
        #expect(findings.contains { $0.ruleID == "infra.no-cluster-writes" && $0.location.line == 3 })
        #expect(findings.contains { $0.ruleID == "layout.platform-concern" && $0.location.path == "cluster/kubernetes/platform/broken.yaml" })
    }
}
