import ClusterSpec

/// What one node runs, as read from it (`talosctl version`, the kubelet version of `kubectl get nodes`).
public struct ObservedNode: Sendable, Equatable {
    public enum Role: Sendable, Equatable {
        case controlPlane
        case worker
    }

    /// The node's name in the cluster definition, for messages.
    public var name: String
    /// The address talosctl reaches it on.
    public var address: String
    public var role: Role
    public var talosVersion: SemanticVersion
    /// The kubelet's version; nil when the node is not registered in Kubernetes.
    public var kubernetesVersion: SemanticVersion?

    public init(name: String, address: String, role: Role, talosVersion: SemanticVersion, kubernetesVersion: SemanticVersion?) {
        self.name = name
        self.address = address
        self.role = role
        self.talosVersion = talosVersion
        self.kubernetesVersion = kubernetesVersion
    }
}

/// Where the cluster definition wants the cluster to be.
public struct UpgradeTarget: Sendable, Equatable {
    public var talosVersion: SemanticVersion
    /// nil leaves Kubernetes alone.
    public var kubernetesVersion: SemanticVersion?
    /// The installer of the cluster's Image Factory schematic at `talosVersion`.
    public var installerImage: String

    public init(talosVersion: SemanticVersion, kubernetesVersion: SemanticVersion?, installerImage: String) {
        self.talosVersion = talosVersion
        self.kubernetesVersion = kubernetesVersion
        self.installerImage = installerImage
    }
}

/// Why an upgrade is not planned, and what to do instead.
public struct UpgradeRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// The releases to go through, oldest first, when the refusal is a skipped minor.
    public var path: [String]

    public init(_ reason: String, path: [String] = []) {
        self.reason = reason
        self.path = path
    }

    public var description: String { reason }
}

/// The planner's answer.
public enum UpgradeDecision: Sendable, Equatable {
    /// Every node already runs the target; the text says so.
    case current(String)
    case plan(UpgradePlan)
    case refused(UpgradeRefusal)
}

/// Plans a Talos and Kubernetes upgrade from what the nodes run and what the definition wants.
/// Pure: it reads no files and runs nothing, so every case is a unit test. Talos moves one
/// minor at a time and one node at a time (control planes first) with the schematic's
/// installer; Kubernetes moves cluster-wide, one minor at a time, after Talos, as
/// `talosctl upgrade-k8s` does. An etcd snapshot comes before anything else.
public struct UpgradePlanner: Sendable {
    public var nodes: [ObservedNode]
    public var target: UpgradeTarget
    public var talosctl: Talosctl
    public var snapshotPath: String

    public init(nodes: [ObservedNode], target: UpgradeTarget, talosctl: Talosctl, snapshotPath: String) {
        self.nodes = nodes
        self.target = target
        self.talosctl = talosctl
        self.snapshotPath = snapshotPath
    }

    public func decide() -> UpgradeDecision {
        do {
            return try plan()
        } catch let refusal as UpgradeRefusal {
            return .refused(refusal)
        } catch {
            return .refused(UpgradeRefusal("\(error)"))
        }
    }

    private func plan() throws -> UpgradeDecision {
        let controlPlanes = nodes.filter { $0.role == .controlPlane }
        guard let first = controlPlanes.first else {
            throw UpgradeRefusal("no control-plane node was observed; the upgrade goes through one")
        }
        if let problem = TalosSupport.releaseProblem(target.talosVersion) { throw UpgradeRefusal(problem) }
        let talosNodes = try nodesNeedingTalos()
        if !talosNodes.isEmpty { try checkRunningKubernetesSurvivesTalos() }
        let kubernetesTarget = try kubernetesUpgrade()
        guard !talosNodes.isEmpty || kubernetesTarget != nil else {
            let kubernetes = target.kubernetesVersion.map { " and Kubernetes \($0)" } ?? ""
            return .current("every node runs Talos \(target.talosVersion)\(kubernetes); nothing to upgrade")
        }

        var steps = [UpgradePlan.Step(summary: "snapshot etcd from \(first.name) (\(first.address)) to \(snapshotPath)",
                                      arguments: talosctl.arguments(first.address, ["etcd", "snapshot", snapshotPath]))]
        for node in talosNodes {
            let role = node.role == .controlPlane ? "control plane" : "worker"
            steps.append(.init(summary: "upgrade \(role) \(node.name) (\(node.address)) from Talos \(node.talosVersion) to \(target.talosVersion) with \(target.installerImage)",
                               arguments: talosctl.arguments(node.address, ["upgrade", "--image", target.installerImage, "--wait"])))
            // Health is checked through a control plane, which answers for the whole cluster.
            let healthNode = node.role == .controlPlane ? node.address : first.address
            steps.append(.init(summary: "wait until the cluster is healthy after \(node.name)",
                               arguments: talosctl.arguments(healthNode, ["health", "--wait-timeout", "10m"])))
        }
        if let kubernetesTarget {
            let bare = "\(kubernetesTarget.major).\(kubernetesTarget.minor).\(kubernetesTarget.patch)"
            steps.append(.init(summary: "upgrade Kubernetes cluster-wide to \(kubernetesTarget)",
                               arguments: talosctl.arguments(first.address, ["upgrade-k8s", "--to", bare])))
            steps.append(.init(summary: "wait until the cluster is healthy on Kubernetes \(kubernetesTarget)",
                               arguments: talosctl.arguments(first.address, ["health", "--wait-timeout", "10m"])))
        }
        var warnings: [String] = []
        if controlPlanes.count == 1 {
            warnings.append(UpgradePlan.singleControlPlaneWarning(first.name))
        }
        return .plan(UpgradePlan(steps: steps, warnings: warnings))
    }

    /// Nodes whose Talos differs from the target, control planes first; refuses downgrades and skipped minors.
    private func nodesNeedingTalos() throws -> [ObservedNode] {
        let wanted = target.talosVersion
        var needing: [ObservedNode] = []
        for node in nodes.filter({ $0.role == .controlPlane }) + nodes.filter({ $0.role == .worker }) {
            let running = node.talosVersion
            if running == wanted { continue }
            if Self.isOlder(wanted, than: running) {
                throw UpgradeRefusal("\(node.name) runs Talos \(running), newer than the target \(wanted); homeport does not downgrade: set talos.version to \(running) or later")
            }
            if running.major != wanted.major {
                throw UpgradeRefusal("\(node.name) runs Talos \(running) and the target is \(wanted): a major-version upgrade is outside what homeport plans")
            }
            if wanted.minor - running.minor > 1 {
                let path = [running.description] + ((running.minor + 1)..<wanted.minor).map { "v\(wanted.major).\($0).x" } + [wanted.description]
                let next = "v\(wanted.major).\(running.minor + 1)"
                throw UpgradeRefusal("""
                    \(node.name) runs Talos \(running) and the target is \(wanted): Talos upgrades one minor release at a time. \
                    Path: \(path.joined(separator: " → ")). Set talos.version to the latest \(next) patch release, upgrade, then set \(wanted)
                    """, path: path)
            }
            needing.append(node)
        }
        return needing
    }

    /// After Talos is upgraded the nodes still run their current kubelet, so the target Talos must support it.
    private func checkRunningKubernetesSurvivesTalos() throws {
        for node in nodes {
            guard let running = node.kubernetesVersion else { continue }
            if let problem = TalosSupport.problem(talos: target.talosVersion, kubernetes: running) {
                throw UpgradeRefusal("\(node.name) runs Kubernetes \(running), which Talos \(target.talosVersion) cannot run: \(problem). Upgrade Kubernetes under the current Talos first")
            }
        }
    }

    /// The Kubernetes version to move to, nil when every node runs it (or no target is set).
    private func kubernetesUpgrade() throws -> SemanticVersion? {
        guard let wanted = target.kubernetesVersion else { return nil }
        if let problem = TalosSupport.problem(talos: target.talosVersion, kubernetes: wanted) {
            throw UpgradeRefusal("the target is not a supported pair: \(problem); set talos.kubernetesVersion to a version it supports")
        }
        let running = nodes.compactMap(\.kubernetesVersion)
        guard running.contains(where: { $0 != wanted }) else { return nil }
        for version in running where Self.isOlder(wanted, than: version) {
            throw UpgradeRefusal("a node runs Kubernetes \(version), newer than the target \(wanted); homeport does not downgrade Kubernetes")
        }
        if let oldest = running.min(by: { Self.isOlder($0, than: $1) }), wanted.minor - oldest.minor > 1 {
            let path = [oldest.description] + ((oldest.minor + 1)..<wanted.minor).map { "v\(wanted.major).\($0).x" } + [wanted.description]
            throw UpgradeRefusal("""
                the cluster runs Kubernetes \(oldest) and the target is \(wanted): Kubernetes upgrades one minor release at a time. \
                Path: \(path.joined(separator: " → ")). Set talos.kubernetesVersion to the latest v\(wanted.major).\(oldest.minor + 1) patch release first
                """, path: path)
        }
        return wanted
    }

    /// Release order; a pre-release sorts before its release.
    static func isOlder(_ lhs: SemanticVersion, than rhs: SemanticVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        return lhs.preRelease != nil && rhs.preRelease == nil
    }
}
