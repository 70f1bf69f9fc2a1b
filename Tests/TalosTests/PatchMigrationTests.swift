import Foundation
import Manifests
import TalosSchema
import Testing
import TestSupport
@testable import Talos

@Suite("homeport talos migrate: v1alpha1 patch fields into v1.14 documents")
struct PatchMigrationTests {
    /// The reference patches as they were for Talos v1.13.
    static let v113Patches: [String: String] = [
        "cluster/talos/patches/all/kubelet.yaml": "# kubelet\nmachine:\n  kubelet:\n    extraArgs:\n      rotate-server-certificates: \"true\"\n    nodeIP:\n      validSubnets:\n        - 192.168.1.0/24\n",
        "cluster/talos/patches/all/local-path.yaml": "machine:\n  kubelet:\n    extraMounts:\n      - destination: /var/local-path-provisioner\n        type: bind\n        source: /var/local-path-provisioner\n        options: [bind, rshared, rw]\n",
        "cluster/talos/patches/all/time.yaml": "machine:\n  time:\n    disabled: false\n    servers:\n      - time.cloudflare.com\n      - pool.ntp.org\n",
        "cluster/talos/patches/controlplane/cluster.yaml": "cluster:\n  discovery:\n    enabled: true\n    registries:\n      kubernetes:\n        disabled: true\n      service:\n        disabled: false\n  proxy:\n    disabled: false\n  etcd:\n    advertisedSubnets:\n      - 192.168.1.0/24\n",
        "cluster/talos/patches/controlplane/talos-api-access.yaml": "machine:\n  features:\n    kubernetesTalosAPIAccess:\n      enabled: true\n      allowedRoles:\n        - os:etcd:backup\n      allowedKubernetesNamespaces:\n        - backup\n",
    ]

    @Test("the v1.13 reference patches become v1.14 documents; only kubelet extraMounts is left for a human")
    func referencePatches() throws {
        let repo = try TemporaryRepo(files: Self.v113Patches)
        let rewrites = try TalosWorkspace(repositoryRoot: repo.root, clusterName: "lab").migratedPatches(to: TalosContract(1, 14))
        let byPath = Dictionary(uniqueKeysWithValues: rewrites.map { ($0.path, $0) })
        #expect(byPath["cluster/talos/patches/all/local-path.yaml"] == nil, "extraMounts has no automatic replacement")
        let kubelet = try #require(byPath["cluster/talos/patches/all/kubelet.yaml"])
        #expect(kubelet.text.hasPrefix("# kubelet\n# Rewritten for Talos v1.14"))
        let documents = try ConfigValue.documents(fromYAML: kubelet.text, path: kubelet.path)
        #expect(documents.first { $0["kind"] == .string("KubeletConfig") }?[path: "extraArgs"]?["rotate-server-certificates"] == .string("true"))
        #expect(documents.first { $0["kind"] == .string("KubeNodeConfig") }?[path: "nodeIP.validSubnets"] == .strings(["192.168.1.0/24"]))
        #expect(!documents.contains { $0["machine"] != nil })
        let time = try ConfigValue.documents(fromYAML: try #require(byPath["cluster/talos/patches/all/time.yaml"]).text, path: "time")
        #expect(time.count == 1 && time[0]["kind"] == .string("TimeSyncConfig"))
        #expect(time[0]["enabled"] == .bool(true) && time[0][path: "ntp.servers"] == .strings(["time.cloudflare.com", "pool.ntp.org"]))
        let cluster = try ConfigValue.documents(fromYAML: try #require(byPath["cluster/talos/patches/controlplane/cluster.yaml"]).text, path: "cluster")
        #expect(cluster.first?[path: "cluster.etcd.advertisedSubnets"] == .strings(["192.168.1.0/24"]))
        #expect(cluster.first?[path: "cluster.discovery"] == nil, "v1.14 defaults")
        #expect(cluster.first { $0["kind"] == .string("KubeProxyConfig") }?["enabled"] == .bool(true))
        let access = try ConfigValue.documents(fromYAML: try #require(byPath["cluster/talos/patches/controlplane/talos-api-access.yaml"]).text, path: "a")
        #expect(access.count == 1 && access[0]["allowedRoles"] == .strings(["os:etcd:backup"]))

        // What check says afterwards: nothing about the rewritten files, a warning for extraMounts.
        let checker = try #require(PatchFieldChecker(release: TalosRelease(1, 14)))
        for rewrite in rewrites {
            #expect(checker.check(YAMLParser.parse(rewrite.text).documents).isEmpty, "\(rewrite.path)")
        }
        let leftover = checker.check(YAMLParser.parse(Self.v113Patches["cluster/talos/patches/all/local-path.yaml"]!).documents)
        #expect(leftover.map(\.field) == ["machine.kubelet.extraMounts"] && leftover.first?.severity == .warning)
    }

    @Test("nothing to migrate for a v1.13 target but machine.time; the v1.12 move of machine.time applies")
    func olderTarget() throws {
        let repo = try TemporaryRepo(files: Self.v113Patches)
        let rewrites = try TalosWorkspace(repositoryRoot: repo.root, clusterName: "lab").migratedPatches(to: TalosContract(1, 13))
        #expect(rewrites.map(\.path) == ["cluster/talos/patches/all/time.yaml"])
    }
}
