import ClusterSpec
import Foundation
import HomeportCore

/// Reads what the nodes run: Talos from `talosctl version` (one call per node, through the
/// node itself) and the kubelet version from `kubectl get nodes -o json`.
public struct ObservedVersionReader: Sendable {
    /// A node of the cluster definition: its name, address and role.
    public struct Node: Sendable, Equatable {
        public var name: String
        public var address: String
        public var role: ObservedNode.Role

        public init(name: String, address: String, role: ObservedNode.Role) {
            self.name = name
            self.address = address
            self.role = role
        }
    }

    public var talosctl: Talosctl
    public var kubectl: String
    public var kubeconfig: String

    public init(talosctl: Talosctl, kubectl: String = "kubectl", kubeconfig: String) {
        self.talosctl = talosctl
        self.kubectl = kubectl
        self.kubeconfig = kubeconfig
    }

    /// Every node with the versions it runs; throws naming the node that did not answer.
    public func read(_ nodes: [Node], with runner: any UpgradeCommandRunner) throws -> [ObservedNode] {
        let kubelets = try kubeletVersions(with: runner)
        return try nodes.map { node in
            let result = try runner.capture(talosctl.arguments(node.address, ["version"]))
            guard result.status == 0 else {
                throw HomeportError("talosctl version failed for \(node.name) (\(node.address)), exit \(result.status); the node must answer before it can be planned")
            }
            guard let talos = Self.serverTag(inTalosctlVersion: result.output) else {
                throw HomeportError("talosctl version printed no server Tag for \(node.name) (\(node.address)); is talosctl too old for the cluster?")
            }
            return ObservedNode(name: node.name, address: node.address, role: node.role,
                                talosVersion: talos, kubernetesVersion: kubelets[node.address] ?? kubelets[node.name])
        }
    }

    /// Kubelet versions keyed by node name and by InternalIP.
    func kubeletVersions(with runner: any UpgradeCommandRunner) throws -> [String: SemanticVersion] {
        let result = try runner.capture([kubectl, "--kubeconfig", kubeconfig, "get", "nodes", "-o", "json"])
        guard result.status == 0 else {
            throw HomeportError("kubectl get nodes failed (exit \(result.status)); fetch a kubeconfig with `talosctl kubeconfig \(kubeconfig)` and retry")
        }
        return try Self.kubeletVersions(inNodeList: result.output)
    }

    /// The `Tag:` of the `Server:` section of `talosctl version` output (the first node's).
    public static func serverTag(inTalosctlVersion output: String) -> SemanticVersion? {
        var inServer = false
        for line in output.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "Server:" { inServer = true; continue }
            if trimmed == "Client:" { inServer = false; continue }
            guard inServer, trimmed.hasPrefix("Tag:") else { continue }
            return SemanticVersion(trimmed.dropFirst("Tag:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Parses a `kubectl get nodes -o json` List into kubelet versions by node name and InternalIP.
    public static func kubeletVersions(inNodeList json: String) throws -> [String: SemanticVersion] {
        guard let root = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let items = root["items"] as? [[String: Any]] else {
            throw HomeportError("kubectl get nodes -o json did not print a node list")
        }
        var versions: [String: SemanticVersion] = [:]
        for item in items {
            let status = item["status"] as? [String: Any]
            guard let text = (status?["nodeInfo"] as? [String: Any])?["kubeletVersion"] as? String,
                  let version = SemanticVersion(text) else { continue }
            if let name = (item["metadata"] as? [String: Any])?["name"] as? String { versions[name] = version }
            for address in status?["addresses"] as? [[String: Any]] ?? [] where address["type"] as? String == "InternalIP" {
                if let ip = address["address"] as? String { versions[ip] = version }
            }
        }
        return versions
    }
}
