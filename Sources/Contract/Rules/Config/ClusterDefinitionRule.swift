import ClusterSpec
import HomeportCore
import Manifests

/// `config.cluster`: every cluster definition in config/clusters/ is valid.
struct ClusterDefinitionRule: Rule {
    static let description = RuleDescription(
        id: "config.cluster",
        summary: "Cluster definitions in config/clusters/ are valid: known keys and types, unique node names, addresses, VMIDs and MACs, addresses inside the node CIDR, a free VIP, non-overlapping pod/service/LAN ranges, a supported Talos/Kubernetes pair, VM sizes at Talos minimums, and no secrets.",
        rationale: "Contract 4: config/clusters/NAME.yaml is the source of truth that env files, Talos configs and the Proxmox VM plan are derived from, so a mistake in it becomes a broken cluster. Each problem is reported at the offending value.",
        contractSections: ["4"],
        nonTriggeringExamples: [
            RuleExample("a valid definition", files: ClusterExamples.repo(ClusterExamples.definition)),
            RuleExample("a file that does not parse is left to k8s.parse", files: [
                "config/clusters/broken.yaml": "name: broken\nnodes: [a, b\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("gateway outside the node CIDR", files: ClusterExamples.repo(ClusterExamples.definition(replacing: "gateway: 10.0.0.1", with: "gateway: ↓10.0.1.1"))),
            RuleExample("two nodes with one address, and a worker below the Talos minimum", files: ClusterExamples.repo(ClusterExamples.definition(
                replacing: "  - {name: cp-1, role: controlplane, address: 10.0.0.11, vmid: 111, cores: 2, memoryMiB: 4096, diskGiB: 40, mac: \"BC:24:11:00:00:11\"}\n",
                with: """
                  - {name: cp-1, role: controlplane, address: 10.0.0.11, vmid: 111, cores: 2, memoryMiB: 4096, diskGiB: 40, mac: "BC:24:11:00:00:11"}
                  - {name: w-1, role: worker, address: ↓10.0.0.11, vmid: 112, cores: 1, memoryMiB: ↓512, diskGiB: 40, mac: "BC:24:11:00:00:12"}

                """))),
            RuleExample("unknown key and a token secret", files: ClusterExamples.repo(ClusterExamples.definition(
                replacing: "  tokenID: homeport@pve!homeport\n",
                with: "  tokenID: homeport@pve!homeport\n  ↓tokenSecret: 00000000-aaaa\n  ↓bridges: vmbr1\n"))),
            RuleExample("Kubernetes too new for the Talos release", files: ClusterExamples.repo(ClusterExamples.definition(replacing: "kubernetesVersion: v1.36.3", with: "kubernetesVersion: ↓v1.37.0"))),
            RuleExample("file name and cluster name differ", files: ClusterExamples.repo(ClusterExamples.definition(replacing: "name: lab", with: "name: ↓lab"), at: "config/clusters/other.yaml")),
            RuleExample("the Flux path is not in the repository", files: ClusterExamples.repo(ClusterExamples.definition(replacing: "path: cluster/kubernetes/flux", with: "path: ↓clusters/lab"))),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        context.clusters.flatMap { loaded in
            // Files that do not parse are k8s.parse's to report; saying it twice helps nobody.
            loaded.issues.filter { $0.kind == .definition }.map { finding($0.message, at: loaded.path, mark: $0.mark) }
                + missingReferences(loaded, in: context.snapshot)
        }
    }

    /// Paths the definition names that are not in the repository: the Flux path, the token
    /// secret file and the CA file.
    private func missingReferences(_ loaded: LoadedClusterDefinition, in snapshot: RepoSnapshot) -> [Finding] {
        guard let definition = loaded.definition else { return [] }
        var references = [("flux.path", definition.flux.path, "the folder Flux reconciles")]
        if let file = definition.proxmox.tokenSecretFile {
            references.append(("proxmox.tokenSecretFile", file, "the SOPS-encrypted token secret"))
        }
        if let file = definition.proxmox.caFile {
            references.append(("proxmox.caFile", file, "the Proxmox CA certificate"))
        }
        return references.compactMap { keyPath, path, purpose in
            let normalized = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
            guard !snapshot.exists(normalized) else { return nil }
            return finding("\(keyPath) names \(path) (\(purpose)), which is not in the repository; create it or fix the path",
                           at: loaded.path, mark: definition.marks.value(keyPath))
        }
    }
}
