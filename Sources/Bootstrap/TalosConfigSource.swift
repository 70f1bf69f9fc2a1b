import Foundation
import HomeportCore

/// Where the Talos secrets bundle and machine configs of a cluster come from. The default
/// calls `talosctl gen`; the native Talos module can take its place.
public protocol TalosConfigSource: Sendable {
    /// Writes a new secrets bundle to `path` (mode 0600). Called only when none exists.
    func generateSecrets(to path: String) async throws
    /// Writes `controlplane.yaml`, `worker.yaml` and `talosconfig` into `directory` from the
    /// bundle at `secretsPath`.
    func generateConfigs(for facts: ClusterFacts, secretsPath: String, directory: String) async throws
}

/// `talosctl gen secrets` and `talosctl gen config`.
public struct TalosctlConfigSource: TalosConfigSource {
    public let runner: CommandRunner

    public init(runner: CommandRunner) { self.runner = runner }

    public func generateSecrets(to path: String) async throws {
        let result = try await runner.run("talosctl", ["gen", "secrets", "--output-file", path])
        guard result.succeeded else { throw HomeportError("talosctl gen secrets failed: \(result.error)") }
        chmod(path, 0o600)
    }

    public func generateConfigs(for facts: ClusterFacts, secretsPath: String, directory: String) async throws {
        let result = try await runner.run("talosctl", Self.genConfigArguments(facts, secretsPath: secretsPath, directory: directory))
        guard result.succeeded else { throw HomeportError("talosctl gen config failed: \(result.error)") }
        for file in ["controlplane.yaml", "worker.yaml", "talosconfig"] { chmod("\(directory)/\(file)", 0o600) }
    }

    /// The documented `talosctl gen config` call for the cluster.
    public static func genConfigArguments(_ facts: ClusterFacts, secretsPath: String, directory: String) -> [String] {
        ["gen", "config", facts.name, "https://\(facts.controlPlaneVIP):6443",
         "--with-secrets", secretsPath,
         "--kubernetes-version", facts.kubernetesVersion.hasPrefix("v") ? String(facts.kubernetesVersion.dropFirst()) : facts.kubernetesVersion,
         "--talos-version", facts.talosVersion,
         "--install-image", facts.image.installerImage,
         "--install-disk", facts.installDisk,
         "--output-dir", directory, "--force"]
    }
}

/// The per-node patch applied on top of the role's config: host name, static address,
/// default route, nameservers, and the VIP on control planes.
public enum TalosNodePatch {
    public static func yaml(for node: ClusterFacts.Node, facts: ClusterFacts) -> String {
        var lines = [
            "machine:",
            "  network:",
            "    hostname: \(node.name)",
            "    nameservers: [\(facts.dnsServers.joined(separator: ", "))]",
            "    interfaces:",
            "      - deviceSelector: {hardwareAddr: \"\(node.mac.lowercased())\"}",
            "        addresses: [\(node.address)/\(facts.prefixLength)]",
            "        routes: [{network: 0.0.0.0/0, gateway: \(facts.gateway)}]",
        ]
        if node.isControlPlane { lines.append("        vip: {ip: \(facts.controlPlaneVIP)}") }
        return lines.joined(separator: "\n") + "\n"
    }
}
