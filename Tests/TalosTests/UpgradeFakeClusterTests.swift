import ClusterSpec
import Foundation
import Testing
import TestSupport
@testable import Talos

/// A fake cluster on PATH: `talosctl` answers `version` like the real one from a per-node state
/// file, `upgrade --image …:vX` rewrites that file, `health` fails for nodes listed in
/// `unhealthy` once they were upgraded, and anything it does not recognise (or a call without --talosconfig) fails.
/// `kubectl get nodes -o json` prints a NodeList built from the same state.
struct FakeCluster {
    let folder: TemporaryRepo
    var root: String { folder.root }
    var calls: [String] { (folder.read("calls.log") ?? "").split(separator: "\n").map(String.init) }

    init(nodes: [(address: String, talos: String, kubernetes: String)], unhealthy: [String] = []) throws {
        folder = try TemporaryRepo()
        for node in nodes {
            try folder.write("state/\(node.address).talos", node.talos + "\n")
            try folder.write("state/\(node.address).k8s", node.kubernetes + "\n")
        }
        try folder.write("state/unhealthy", unhealthy.joined(separator: "\n") + "\n")
        try folder.write("talosconfig", "context: test\n")
        try folder.write("bin/talosctl", """
            #!/bin/sh
            state="\(folder.root)/state"
            echo "talosctl $*" >> "\(folder.root)/calls.log"
            [ "$1" = "--talosconfig" ] && [ -f "$2" ] || { echo "error: --talosconfig missing or unreadable" >&2; exit 2; }
            [ "$3" = "--nodes" ] || { echo "error: --nodes missing" >&2; exit 2; }
            node="$4"; shift 6
            [ -f "$state/$node.talos" ] || { echo "rpc error: code = Unavailable desc = connection refused ($node)" >&2; exit 1; }
            case "$*" in
              version)
                printf 'Client:\\n\\tTag:         v1.13.9\\n\\tSHA:         4a8c7e2f\\n\\tBuilt:       \\n\\tGo version:  go1.25.5\\n\\tOS/Arch:     linux/amd64\\n'
                printf 'Server:\\n\\tNODE:        %s\\n\\tTag:         %s\\n\\tSHA:         4a8c7e2f\\n\\tBuilt:       \\n\\tGo version:  go1.25.5\\n\\tOS/Arch:     linux/amd64\\n\\tEnabled:     RBAC\\n' "$node" "$(cat "$state/$node.talos")" ;;
              "etcd snapshot "*) echo "etcd snapshot saved to \\"$3\\" (1234 bytes)" ;;
              "upgrade --image "*" --wait") echo "$3" | sed 's/.*://' > "$state/$node.talos" ;;
              "health --wait-timeout 10m")
                for bad in $(cat "$state/unhealthy"); do
                  grep -q -- "--nodes $bad --endpoints $bad upgrade --image" "\(folder.root)/calls.log" && { echo "waiting for all nodes to be ready: $bad NotReady" >&2; exit 1; }
                done
                echo "all checks passed" ;;
              "upgrade-k8s --to "*) for f in "$state"/*.k8s; do echo "v$3" > "$f"; done ;;
              *) echo "error: unknown command \\"$*\\"" >&2; exit 64 ;;
            esac
            """)
        try folder.write("bin/kubectl", """
            #!/bin/sh
            echo "kubectl $*" >> "\(folder.root)/calls.log"
            [ "$*" = "--kubeconfig \(folder.root)/kubeconfig get nodes -o json" ] || { echo "error: unexpected arguments: $*" >&2; exit 64; }
            printf '{"apiVersion":"v1","kind":"List","items":['
            sep=""
            for f in "\(folder.root)"/state/*.k8s; do
              ip=$(basename "$f" .k8s)
              printf '%s{"metadata":{"name":"node-%s"},"status":{"addresses":[{"type":"InternalIP","address":"%s"},{"type":"Hostname","address":"node-%s"}],"nodeInfo":{"kubeletVersion":"%s","osImage":"Talos"}}}' "$sep" "$ip" "$ip" "$ip" "$(cat "$f")"
              sep=","
            done
            printf ']}\\n'
            """)
        chmod(folder.root + "/bin/talosctl", 0o755)
        chmod(folder.root + "/bin/kubectl", 0o755)
    }

    var runner: ProcessCommandRunner { ProcessCommandRunner(environment: ["PATH": root + "/bin:/usr/bin:/bin"]) }
    var talosctl: Talosctl { Talosctl(talosconfig: root + "/talosconfig") }

    func observe() throws -> [ObservedNode] {
        try ObservedVersionReader(talosctl: talosctl, kubeconfig: root + "/kubeconfig").read([
            .init(name: "talos-cp-1", address: "10.0.0.11", role: .controlPlane),
            .init(name: "talos-w-1", address: "10.0.0.21", role: .worker),
            .init(name: "talos-w-2", address: "10.0.0.22", role: .worker),
        ], with: runner)
    }

    func plan(talos: String = "v1.13.9", kubernetes: String = "v1.36.3") throws -> UpgradeDecision {
        UpgradePlanner(nodes: try observe(),
                       target: UpgradeTarget(talosVersion: SemanticVersion(talos)!, kubernetesVersion: SemanticVersion(kubernetes),
                                             installerImage: "factory.talos.dev/nocloud-installer/abc:\(talos)"),
                       talosctl: talosctl, snapshotPath: root + "/etcd.snapshot").decide()
    }
}

@Suite("Upgrades against a fake talosctl and kubectl")
struct UpgradeFakeClusterTests {
    static let behind = [("10.0.0.11", "v1.12.11", "v1.35.2"), ("10.0.0.21", "v1.12.11", "v1.35.2"), ("10.0.0.22", "v1.12.11", "v1.35.2")]

    @Test("talosctl version and kubectl get nodes output are read into each node's versions")
    func readsVersions() throws {
        let cluster = try FakeCluster(nodes: [("10.0.0.11", "v1.13.9", "v1.36.3"), ("10.0.0.21", "v1.12.11", "v1.35.2"), ("10.0.0.22", "v1.13.9", "v1.36.3")])
        let nodes = try cluster.observe()
        #expect(nodes.map(\.talosVersion.description) == ["v1.13.9", "v1.12.11", "v1.13.9"])
        #expect(nodes.map { $0.kubernetesVersion?.description } == ["v1.36.3", "v1.35.2", "v1.36.3"])
        #expect(nodes.map(\.role) == [.controlPlane, .worker, .worker])
    }

    @Test("a node that does not answer is an error naming it")
    func unreachableNode() throws {
        let cluster = try FakeCluster(nodes: [("10.0.0.11", "v1.13.9", "v1.36.3"), ("10.0.0.21", "v1.13.9", "v1.36.3")])
        #expect { try cluster.observe() } throws: { "\($0)".contains("talos-w-2 (10.0.0.22)") }
    }

    @Test("one minor behind, run end to end: every node and Kubernetes end at the target; a second plan finds nothing to do")
    func runsToCompletion() throws {
        let cluster = try FakeCluster(nodes: Self.behind)
        guard case .plan(let plan) = try cluster.plan() else { Issue.record("expected a plan"); return }
        try plan.execute(with: cluster.runner) { _ in }
        #expect(cluster.folder.read("state/10.0.0.22.talos") == "v1.13.9\n")
        #expect(cluster.folder.read("state/10.0.0.11.k8s") == "v1.36.3\n")
        guard case .current = try cluster.plan() else { Issue.record("expected nothing left to do"); return }
    }

    @Test("a node that fails health stops the run: later nodes and Kubernetes are untouched")
    func stopsAtUnhealthyNode() throws {
        let cluster = try FakeCluster(nodes: Self.behind, unhealthy: ["10.0.0.21"])
        guard case .plan(let plan) = try cluster.plan() else { Issue.record("expected a plan"); return }
        var log: [String] = []
        #expect { try plan.execute(with: cluster.runner) { log.append($0) } } throws: { "\($0)".contains("wait until the cluster is healthy after talos-w-1") }
        let talosctlCalls = cluster.calls.filter { $0.hasPrefix("talosctl") && !$0.hasSuffix(" version") }
        #expect(talosctlCalls.count == 5, "snapshot, cp upgrade + health, w-1 upgrade + failed health: \(talosctlCalls)")
        #expect(cluster.folder.read("state/10.0.0.22.talos") == "v1.12.11\n")
        #expect(!cluster.calls.contains { $0.contains("upgrade-k8s") })
        #expect(cluster.calls.first { $0.contains("etcd snapshot") } != nil)
    }

    @Test("two minors behind is refused before anything runs")
    func refusedRunsNothing() throws {
        let cluster = try FakeCluster(nodes: [("10.0.0.11", "v1.11.6", "v1.34.1"), ("10.0.0.21", "v1.11.6", "v1.34.1"), ("10.0.0.22", "v1.11.6", "v1.34.1")])
        guard case .refused(let refusal) = try cluster.plan(kubernetes: "v1.34.1") else { Issue.record("expected a refusal"); return }
        #expect(refusal.path == ["v1.11.6", "v1.12.x", "v1.13.9"])
        #expect(cluster.calls.allSatisfy { $0.hasSuffix(" version") || $0.contains("get nodes") })
    }
}
