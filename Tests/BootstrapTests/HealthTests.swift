import Bootstrap
import ClusterSpec
import Foundation
import HomeportCore
import Testing
import TestSupport

/// Answers commands from a table (first matching substring wins) and records them.
struct TableRunner: CommandRunner {
    var table: [(contains: String, result: CommandResult)]

    func run(_ invocation: ProcessInvocation) async throws -> CommandResult {
        let line = invocation.commandLine
        return table.first { line.contains($0.contains) }?.result ?? CommandResult(status: 1, output: "", error: "no answer for \(line)")
    }
}

@Suite("homeport status")
struct HealthTests {
    static func ready(_ name: String, namespace: String? = nil, ready: Bool = true, message: String = "") -> String {
        let ns = namespace.map { #","namespace":"\#($0)""# } ?? ""
        return #"{"metadata":{"name":"\#(name)"\#(ns)},"status":{"conditions":[{"type":"Ready","status":"\#(ready ? "True" : "False")","message":"\#(message)"}]}}"#
    }

    static func report(workloads: String, helmReady: Bool, revision: String) async throws -> HealthReport {
        let repo = try TemporaryRepo(files: [".talos/prox-n100/talosconfig": "context: x\n", ".talos/prox-n100/kubeconfig": "kind: Config\n"])
        let ok = { (text: String) in CommandResult(status: 0, output: text, error: "") }
        let runner = TableRunner(table: [
            ("health", ok("")),
            ("get nodes", ok(#"{"items":[\#(ready("talos-cp-1")),\#(ready("talos-w-1"))]}"#)),
            ("rev-parse origin/main", ok("abc123\n")),
            ("get fluxinstance flux", ok(#"{"status":{"lastAppliedRevision":"refs/heads/main@sha1:\#(revision)"}}"#)),
            ("get kustomizations", ok(#"{"items":[\#(ready("apps", namespace: "flux-system"))]}"#)),
            ("get helmreleases", ok(#"{"items":[\#(ready("jellyfin", namespace: "jellyfin", ready: helmReady, message: "install retries exhausted"))]}"#)),
            ("get deployments,statefulsets,daemonsets", ok(workloads)),
        ])
        try repo.write("config/clusters/prox-n100.yaml", try ClusterPlanTests.reference())
        let definition = try ClusterDefinition.loadValid(repoRoot: repo.root, cluster: nil)
        let env = BootstrapEnvironment(repoRoot: repo.root, definition: definition, runner: runner,
                                       proxmox: nil, ageKeyFile: nil, gitCredentials: nil, log: BootstrapLog(directory: nil, cluster: "prox-n100") { _ in },
                                       prober: SilentNetwork())
        return await Bootstrapper(env: env).health()
    }

    @Test("a healthy cluster apart from the missing Proxmox secret; unmanaged workloads and failed releases are named")
    func verdicts() async throws {
        let owned = #"{"items":[{"kind":"Deployment","metadata":{"name":"web","namespace":"demo","labels":{"kustomize.toolkit.fluxcd.io/name":"apps"}}},{"kind":"DaemonSet","metadata":{"name":"kube-proxy","namespace":"kube-system"}}]}"#
        let good = try await Self.report(workloads: owned, helmReady: true, revision: "abc123")
        #expect(good.checks.filter { !$0.healthy }.map(\.area) == ["proxmox"], "\(good.renderText())")
        #expect(good.checks.contains { $0.area == "flux" && $0.name == "revision" && $0.healthy })

        let stray = #"{"items":[{"kind":"Deployment","metadata":{"name":"hand-made","namespace":"default"}}]}"#
        let bad = try await Self.report(workloads: stray, helmReady: false, revision: "old999")
        let failed = Set(bad.checks.filter { !$0.healthy }.map { "\($0.area) \($0.name)" })
        #expect(failed == ["proxmox VMs", "helmrelease jellyfin/jellyfin", "flux unmanaged objects", "flux revision"])
        #expect(!bad.healthy)
        let text = bad.renderText()
        #expect(text.contains("Deployment default/hand-made"))
        #expect(text.contains("install retries exhausted"))
        #expect(text.contains("Verdict: UNHEALTHY (4 of"))
        let json = try #require(JSONValue.parseForTest(bad.renderJSON()))
        #expect(json["healthy"]?.bool == false)
    }
}

import Proxmox

extension JSONValue {
    static func parseForTest(_ text: String) -> JSONValue? { parse(Data(text.utf8)) }
}
