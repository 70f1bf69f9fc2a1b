import Foundation
import HomeportCore
import Testing
import TestSupport
@testable import HomeportCLI

/// `homeport talos upgrade` against fake talosctl and kubectl that answer like the real ones
/// from a state folder, and fail on anything they do not know.
@Suite("homeport talos upgrade reads what the nodes run")
struct TalosUpgradeCommandTests {
    func run(_ arguments: [String]) throws {
        var command = try HomeportCommand.parseAsRoot(arguments)
        try command.run()
    }

    func cluster(talos: String, kubernetes: String) throws -> TemporaryRepo? {
        guard let golden = SharedData.path("talos/golden-v1.13/secrets.yaml") else {
            if SharedData.isCI { Issue.record("missing shared data") }
            return nil
        }
        // The target is pinned here, so the test does not move when the reference moves to a new Talos.
        let definition = try String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
            .replacingOccurrences(of: #"(?m)^  version: v[0-9.]+$"#, with: "  version: v1.13.9", options: .regularExpression)
            .replacingOccurrences(of: #"(?m)^  kubernetesVersion: v[0-9.]+$"#, with: "  kubernetesVersion: v1.36.3", options: .regularExpression)
        let repo = try TemporaryRepo(files: [
            "config/clusters/prox-n100.yaml": definition,
            "state/talos": talos + "\n",
            "state/k8s": kubernetes + "\n",
        ])
        try run(["talos", "secrets", "--repo", repo.root, "--import", golden])
        try run(["talos", "talosconfig", "--repo", repo.root])
        try repo.write("bin/talosctl", """
            #!/bin/sh
            echo "$*" >> "\(repo.root)/calls.log"
            [ "$1" = "--talosconfig" ] && [ -f "$2" ] || { echo "error: no talosconfig" >&2; exit 2; }
            node="$4"; shift 6
            case "$*" in
              version) printf 'Client:\\n\\tTag:         v1.13.9\\n\\tSHA:         4a8c7e2f\\nServer:\\n\\tNODE:        %s\\n\\tTag:         %s\\n\\tSHA:         4a8c7e2f\\n\\tEnabled:     RBAC\\n' "$node" "$(cat "\(repo.root)/state/talos")" ;;
              "etcd snapshot "*|"upgrade --image "*" --wait"|"health --wait-timeout 10m"|"upgrade-k8s --to "*) ;;
              *) echo "error: unknown command $*" >&2; exit 64 ;;
            esac
            """)
        try repo.write("bin/kubectl", """
            #!/bin/sh
            echo "kubectl $*" >> "\(repo.root)/calls.log"
            [ "$3 $4 $5 $6" = "get nodes -o json" ] || { echo "error: unexpected $*" >&2; exit 64; }
            v=$(cat "\(repo.root)/state/k8s")
            printf '{"kind":"List","items":[{"metadata":{"name":"talos-cp-1"},"status":{"addresses":[{"type":"InternalIP","address":"192.168.1.214"}],"nodeInfo":{"kubeletVersion":"%s"}}},{"metadata":{"name":"talos-w-1"},"status":{"addresses":[{"type":"InternalIP","address":"192.168.1.215"}],"nodeInfo":{"kubeletVersion":"%s"}}}]}\\n' "$v" "$v"
            """)
        chmod(repo.root + "/bin/talosctl", 0o755)
        chmod(repo.root + "/bin/kubectl", 0o755)
        return repo
    }

    func upgrade(_ repo: TemporaryRepo) throws {
        try run(["talos", "upgrade", "--repo", repo.root, "--yes", "--talosctl", repo.root + "/bin/talosctl", "--kubectl", repo.root + "/bin/kubectl"])
    }

    func actions(_ repo: TemporaryRepo) -> [String] {
        (repo.read("calls.log") ?? "").split(separator: "\n").map(String.init)
            .filter { !$0.hasSuffix(" version") && !$0.hasPrefix("kubectl ") }
    }

    @Test("one Talos minor behind: both nodes upgraded with the schematic's installer, Kubernetes left alone")
    func oneMinorBehind() throws {
        guard let repo = try cluster(talos: "v1.12.11", kubernetes: "v1.36.3") else { return }
        try upgrade(repo)
        let calls = actions(repo)
        #expect(calls.count == 5, "snapshot, two upgrades, two health checks: \(calls)")
        #expect(calls.filter { $0.contains("upgrade --image factory.talos.dev/nocloud-installer/") && $0.hasSuffix(":v1.13.9 --wait") }.count == 2)
        #expect(!calls.contains { $0.contains("upgrade-k8s") })
    }

    @Test("already current: nothing runs, not even a snapshot")
    func current() throws {
        guard let repo = try cluster(talos: "v1.13.9", kubernetes: "v1.36.3") else { return }
        try upgrade(repo)
        #expect(actions(repo).isEmpty)
        #expect((repo.read("calls.log") ?? "").contains("get nodes -o json"), "versions were read")
    }

    @Test("two minors behind is refused with the path, and nothing runs")
    func twoMinorsBehind() throws {
        guard let repo = try cluster(talos: "v1.11.6", kubernetes: "v1.34.2") else { return }
        #expect { try upgrade(repo) } throws: { "\($0)".contains("v1.11.6 → v1.12.x → v1.13.9") }
        #expect(actions(repo).isEmpty)
    }
}
