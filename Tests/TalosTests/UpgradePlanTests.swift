import Foundation
import Testing
import TestSupport
@testable import Talos

@Suite("Talos upgrade plans")
struct UpgradePlanTests {
    func plan(controlPlanes: [String], workers: [String]) throws -> UpgradePlan {
        try UpgradePlan(talosconfig: "/x/talosconfig", controlPlanes: controlPlanes, workers: workers,
                        installerImage: "factory.talos.dev/nocloud-installer/abc:v1.13.9", kubernetesVersion: "1.36.0",
                        snapshotPath: "/x/etcd.snapshot")
    }

    @Test("snapshot first, control planes one at a time with health checks, then workers, then Kubernetes")
    func order() throws {
        let steps = try plan(controlPlanes: ["10.0.0.11", "10.0.0.12"], workers: ["10.0.0.21"]).steps
        let verbs = steps.map { Array($0.arguments.drop { !["etcd", "upgrade", "health", "upgrade-k8s"].contains($0) }).first ?? "" }
        #expect(verbs == ["etcd", "upgrade", "health", "upgrade", "health", "upgrade", "health", "upgrade-k8s"])
        #expect(steps[1].arguments.contains("10.0.0.11") && steps[3].arguments.contains("10.0.0.12") && steps[5].arguments.contains("10.0.0.21"))
        #expect(steps.last?.arguments.suffix(2) == ["--to", "1.36.0"])
    }

    @Test("a single control-plane cluster still gets a snapshot before its only control plane is upgraded")
    func singleControlPlane() throws {
        let steps = try plan(controlPlanes: ["10.0.0.11"], workers: []).steps
        #expect(steps.count == 4)
        #expect(steps[0].arguments.contains("snapshot"))
        #expect(try plan(controlPlanes: ["10.0.0.11"], workers: []).warnings.first?.contains("single control plane (10.0.0.11)") == true)
        #expect(try plan(controlPlanes: ["10.0.0.11", "10.0.0.12"], workers: []).warnings.isEmpty)
    }

    @Test("--yes runs talosctl in order and stops at the first failure (recording fake talosctl on PATH)")
    func execution() throws {
        let folder = try TemporaryRepo()
        let log = folder.root + "/calls.log"
        try folder.write("bin/talosctl", """
            #!/bin/sh
            echo "$*" >> "\(log)"
            case "$*" in *"--nodes 10.0.0.12 "*"upgrade --image"*) exit 3;; esac
            exit 0
            """)
        chmod(folder.root + "/bin/talosctl", 0o755)
        let runner = ProcessCommandRunner(environment: ["PATH": folder.root + "/bin:/usr/bin:/bin"])
        let plan = try plan(controlPlanes: ["10.0.0.11", "10.0.0.12"], workers: ["10.0.0.21"])
        var messages: [String] = []
        #expect(throws: (any Error).self) { try plan.execute(with: runner) { messages.append($0) } }
        let calls = (folder.read("calls.log") ?? "").split(separator: "\n")
        #expect(calls.count == 4, "snapshot, upgrade 11, health, upgrade 12 (fails); no further steps")
        #expect(calls.first?.contains("etcd snapshot /x/etcd.snapshot") == true)
        #expect(calls.last?.contains("--nodes 10.0.0.12") == true)
        #expect(!calls.contains { $0.contains("upgrade-k8s") })
    }
}
