import ClusterSpec
import HomeportCore
import Manifests
import TalosSchema

/// `talos.patch-schema`: every field a Talos patch sets exists in the cluster's Talos release.
struct PatchSchemaRule: Rule {
    static let description = RuleDescription(
        id: "talos.patch-schema",
        summary: "Every field a cluster/talos/patches/** patch sets exists in the machine-config schema of the Talos release in config/clusters/*.yaml (talos.version); a field that release moved to another document is a warning naming that document.",
        rationale: "Contract 2.1 and 4: the patches are inputs of the configs homeport renders for the declared Talos release. Talos drops what it does not know, or refuses the whole config, so a misspelt or outdated field is found here rather than on a node. Between releases Talos moves fields out of the v1alpha1 config into documents of their own (v1.12: machine.time to TimeSyncConfig; v1.14: machine.kubelet to KubeletConfig, cluster.proxy to KubeProxyConfig, ...); the warning says where each one goes.",
        contractSections: ["2.1", "4"],
        nonTriggeringExamples: [
            RuleExample("v1.14 patches in v1.14 documents", files: [
                "config/clusters/lab.yaml": "name: lab\ntalos:\n  version: v1.14.0\n",
                "cluster/talos/patches/all/time.yaml": "apiVersion: v1alpha1\nkind: TimeSyncConfig\nntp:\n  servers:\n    - time.cloudflare.com\n",
                "cluster/talos/patches/all/kubelet.yaml": "apiVersion: v1alpha1\nkind: KubeletConfig\nextraArgs:\n  rotate-server-certificates: \"true\"\n---\napiVersion: v1alpha1\nkind: KubeNodeConfig\nnodeIP:\n  validSubnets:\n    - 10.0.0.0/24\n",
                "cluster/talos/patches/controlplane/etcd.yaml": "cluster:\n  etcd:\n    advertisedSubnets:\n      - 10.0.0.0/24\n",
            ]),
            RuleExample("a v1.13 patch on a v1.13 cluster, and a free-form map", files: [
                "config/clusters/lab.yaml": "name: lab\ntalos:\n  version: v1.13.9\n",
                "cluster/talos/patches/all/kubelet.yaml": "machine:\n  kubelet:\n    extraArgs:\n      any-flag-at-all: \"true\"\n    extraMounts:\n      - destination: /var/lib/data\n        type: bind\n        source: /var/lib/data\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a misspelt field", files: [
                "config/clusters/lab.yaml": "name: lab\ntalos:\n  version: v1.14.0\n",
                "cluster/talos/patches/controlplane/etcd.yaml": "cluster:\n  etcd:\n    ↓advertisedSubnet:\n      - 10.0.0.0/24\n",
            ]),
            RuleExample("v1.13 fields on a cluster moved to v1.14", files: [
                "config/clusters/lab.yaml": "name: lab\ntalos:\n  version: v1.14.0\n",
                "cluster/talos/patches/all/kubelet.yaml": "machine:\n  kubelet:\n    ↓extraArgs:\n      rotate-server-certificates: \"true\"\n    ↓nodeIP:\n      validSubnets:\n        - 10.0.0.0/24\n",
                "cluster/talos/patches/all/time.yaml": "machine:\n  time:\n    ↓servers:\n      - time.cloudflare.com\n",
            ]),
            RuleExample("a document kind the release does not have", files: [
                "config/clusters/lab.yaml": "name: lab\ntalos:\n  version: v1.13.9\n",
                "cluster/talos/patches/all/kubelet.yaml": "apiVersion: v1alpha1\n↓kind: KubeletConfig\nimage: ghcr.io/siderolabs/kubelet:v1.36.3\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        let patches = context.yamlFiles(under: ContractPaths.talos + "/patches")
        guard !patches.isEmpty else { return [] }
        var findings: [Finding] = []
        var seen: Set<String> = []
        for (release, definitionPath) in Self.targetReleases(context) {
            guard let checker = PatchFieldChecker(release: release) else { continue }
            for file in patches {
                guard let documents = file.yaml?.documents, file.yaml?.error == nil else { continue }
                for problem in checker.check(documents) {
                    let message = "\(problem.message) (talos.version in \(definitionPath))"
                    // Several definitions on one release report a field once.
                    guard seen.insert("\(file.path):\(problem.mark.line):\(problem.mark.column):\(problem.message)").inserted else { continue }
                    var result = finding(message, at: file.path, mark: problem.mark)
                    if problem.severity < result.severity { result.severity = problem.severity }
                    findings.append(result)
                }
            }
        }
        return findings
    }

    /// The Talos releases the cluster definitions declare, read from the raw `talos.version`
    /// so an otherwise invalid definition (config.cluster's to report) still has its patches
    /// checked.
    static func targetReleases(_ context: RuleContext) -> [(TalosRelease, String)] {
        var result: [(TalosRelease, String)] = []
        for file in context.snapshot.files where file.directory == ClusterDefinitionLoader.folder && file.isYAML {
            guard let version = file.yaml?.documents.first?[path: "talos.version"]?.string,
                  let release = TalosRelease(parsing: version),
                  !result.contains(where: { $0.0 == release }) else { continue }
            result.append((release, file.path))
        }
        return result
    }
}
