import ClusterSpec
import Foundation
import Testing
@testable import Talos

@Suite("Upgrade planner: from observed versions to a plan or a refusal")
struct UpgradePlannerTests {
    static let installer = "factory.talos.dev/nocloud-installer/abc:v1.13.9"

    func node(_ name: String, _ address: String, _ role: ObservedNode.Role = .controlPlane, talos: String, kubernetes: String?) -> ObservedNode {
        ObservedNode(name: name, address: address, role: role, talosVersion: SemanticVersion(talos)!,
                     kubernetesVersion: kubernetes.flatMap { SemanticVersion($0) })
    }

    func decide(_ nodes: [ObservedNode], talos: String = "v1.13.9", kubernetes: String? = "v1.36.3") -> UpgradeDecision {
        UpgradePlanner(nodes: nodes,
                       target: UpgradeTarget(talosVersion: SemanticVersion(talos)!, kubernetesVersion: kubernetes.flatMap { SemanticVersion($0) },
                                             installerImage: Self.installer),
                       talosctl: Talosctl(talosconfig: "/x/talosconfig"), snapshotPath: "/x/etcd.snapshot").decide()
    }

    func planOf(_ decision: UpgradeDecision) -> UpgradePlan? {
        if case .plan(let plan) = decision { return plan }
        return nil
    }

    func refusalOf(_ decision: UpgradeDecision) -> UpgradeRefusal? {
        if case .refused(let refusal) = decision { return refusal }
        return nil
    }

    /// The talosctl subcommand of each step, with the node it targets.
    func verbs(_ plan: UpgradePlan) -> [String] {
        plan.steps.map { step in
            let node = step.arguments[step.arguments.firstIndex(of: "--nodes")! + 1]
            let verb = step.arguments.first { ["etcd", "upgrade", "health", "upgrade-k8s"].contains($0) }!
            return "\(verb)@\(node)"
        }
    }

    @Test("every node at the target: nothing to do, no snapshot")
    func alreadyCurrent() {
        let decision = decide([node("cp", "10.0.0.11", talos: "v1.13.9", kubernetes: "v1.36.3"),
                               node("w", "10.0.0.21", .worker, talos: "v1.13.9", kubernetes: "v1.36.3")])
        guard case .current(let message) = decision else {
            Issue.record("expected current, got \(decision)")
            return
        }
        #expect(message.contains("v1.13.9") && message.contains("v1.36.3"))
    }

    @Test("one minor behind: snapshot, each node one at a time with a health check, control planes first, the installer of the schematic")
    func oneMinorBehind() throws {
        let decision = decide([node("w", "10.0.0.21", .worker, talos: "v1.12.11", kubernetes: "v1.36.3"),
                               node("cp", "10.0.0.11", talos: "v1.12.11", kubernetes: "v1.36.3")])
        let plan = try #require(planOf(decision), "\(decision)")
        #expect(verbs(plan) == ["etcd@10.0.0.11", "upgrade@10.0.0.11", "health@10.0.0.11", "upgrade@10.0.0.21", "health@10.0.0.11"])
        #expect(plan.steps[1].arguments.suffix(3) == ["--image", Self.installer, "--wait"])
        #expect(plan.steps[1].summary.contains("from Talos v1.12.11 to v1.13.9"))
        #expect(!plan.steps.contains { $0.arguments.contains("upgrade-k8s") }, "Kubernetes is already at the target")
    }

    @Test("nodes already upgraded are skipped (a resumed upgrade)")
    func skipsUpgradedNodes() throws {
        let plan = try #require(planOf(decide([node("cp", "10.0.0.11", talos: "v1.13.9", kubernetes: "v1.36.3"),
                                             node("w", "10.0.0.21", .worker, talos: "v1.13.8", kubernetes: "v1.36.3")])))
        #expect(verbs(plan) == ["etcd@10.0.0.11", "upgrade@10.0.0.21", "health@10.0.0.11"])
    }

    @Test("two minors behind: refused, with the path through the skipped minor")
    func twoMinorsBehind() throws {
        let decision = decide([node("cp", "10.0.0.11", talos: "v1.11.6", kubernetes: "v1.34.1")], kubernetes: nil)
        let refusal = try #require(refusalOf(decision), "\(decision)")
        #expect(refusal.path == ["v1.11.6", "v1.12.x", "v1.13.9"])
        #expect(refusal.reason.contains("one minor release at a time"))
        #expect(refusal.reason.contains("latest v1.12 patch"))
    }

    @Test("a Kubernetes version the target Talos does not support is refused")
    func unsupportedKubernetes() throws {
        let decision = decide([node("cp", "10.0.0.11", talos: "v1.13.9", kubernetes: "v1.36.3")], kubernetes: "v1.37.0")
        let refusal = try #require(refusalOf(decision), "\(decision)")
        #expect(refusal.reason.contains("Kubernetes v1.37.0 is not supported by Talos v1.13"))
    }

    @Test("a running Kubernetes too old for the target Talos is refused before any node is touched")
    func runningKubernetesTooOld() throws {
        let decision = decide([node("cp", "10.0.0.11", talos: "v1.12.11", kubernetes: "v1.30.4")], kubernetes: nil)
        let refusal = try #require(refusalOf(decision), "\(decision)")
        #expect(refusal.reason.contains("Upgrade Kubernetes under the current Talos first"))
    }

    @Test("Kubernetes is upgraded cluster-wide, once, after Talos, and never two minors at once")
    func kubernetes() throws {
        let plan = try #require(planOf(decide([node("cp", "10.0.0.11", talos: "v1.13.9", kubernetes: "v1.35.2"),
                                             node("w", "10.0.0.21", .worker, talos: "v1.13.9", kubernetes: "v1.35.2")])))
        #expect(verbs(plan) == ["etcd@10.0.0.11", "upgrade-k8s@10.0.0.11", "health@10.0.0.11"])
        #expect(plan.steps[1].arguments.suffix(2) == ["--to", "1.36.3"])
        let skipped = try #require(refusalOf(decide([node("cp", "10.0.0.11", talos: "v1.13.9", kubernetes: "v1.34.0")])))
        #expect(skipped.path == ["v1.34.0", "v1.35.x", "v1.36.3"])
    }

    @Test("downgrades are refused")
    func downgrade() throws {
        let refusal = try #require(refusalOf(decide([node("cp", "10.0.0.11", talos: "v1.13.9", kubernetes: "v1.36.3")], talos: "v1.13.8")))
        #expect(refusal.reason.contains("does not downgrade"))
    }

    @Test("a single control plane gets a warning that the API goes down; two do not")
    func singleControlPlaneWarning() throws {
        let single = try #require(planOf(decide([node("cp", "10.0.0.11", talos: "v1.13.8", kubernetes: "v1.36.3")])))
        #expect(single.warnings.count == 1 && single.warnings[0].contains("single control plane (cp)"))
        #expect(single.text.hasPrefix("warning: "))
        let two = try #require(planOf(decide([node("cp1", "10.0.0.11", talos: "v1.13.8", kubernetes: "v1.36.3"),
                                            node("cp2", "10.0.0.12", talos: "v1.13.8", kubernetes: "v1.36.3")])))
        #expect(two.warnings.isEmpty)
    }

    @Test("a Talos release homeport does not know is refused")
    func unknownTalos() throws {
        let refusal = try #require(refusalOf(decide([node("cp", "10.0.0.11", talos: "v1.13.9", kubernetes: "v1.36.3")], talos: "v1.99.0")))
        #expect(refusal.reason.contains("not a release homeport knows"))
    }
}
