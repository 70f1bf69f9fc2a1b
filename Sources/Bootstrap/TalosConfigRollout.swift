import ClusterSpec
import Foundation
import HomeportCore
import Talos

/// `homeport talos apply`: brings the configs the repository renders to nodes that already
/// run, one node at a time, control planes first, with the least disruptive mode Talos allows.
public struct TalosConfigRollout: Sendable {
    /// What one node would get, from talosctl's dry run against the config it runs.
    public struct NodeChange: Sendable, Equatable {
        public var node: String
        public var address: String
        /// The rendered file that is (or would be) applied.
        public var file: String
        public var changed: Bool
        public var needsReboot: Bool
        /// talosctl's config diff, as it printed it.
        public var diff: String
    }

    public let env: BootstrapEnvironment

    public init(env: BootstrapEnvironment) { self.env = env }

    /// Renders the configs (as `talos gen` does) and asks each node, without changing it, what
    /// applying its file would do.
    public func plan() async throws -> [NodeChange] {
        try env.talosWorkspace.writeConfigs(input: env.definition.talosInput)
        var changes: [NodeChange] = []
        for node in env.definition.controlPlanes + env.definition.workers {
            changes.append(try await dryRun(node))
        }
        return changes
    }

    /// Applies each changed node's file in turn and waits for the cluster to be healthy before
    /// the next. A change that needs a reboot stops the run unless `allowReboot`: nothing more
    /// is applied, and the message says which node and why.
    public func apply(allowReboot: Bool, log: (String) -> Void) async throws -> [NodeChange] {
        let changes = try await plan()
        for change in changes {
            guard change.changed else {
                log("\(change.node): running config matches \(relativePath(change.file)); nothing to apply")
                continue
            }
            if change.needsReboot && !allowReboot {
                throw HomeportError("\(change.node) needs a reboot to take this config change; nothing was applied to it or to the nodes after it. Re-run with --allow-reboot to reboot it (one node at a time)")
            }
            let mode = change.needsReboot ? "reboot" : "no-reboot"
            let result = try await talosctl(["--nodes", change.address, "--endpoints", change.address,
                                             "apply-config", "--file", change.file, "--mode", mode])
            guard result.succeeded else {
                throw HomeportError("talosctl apply-config to \(change.node) failed: \(env.log.redact(result.error.trimmingCharacters(in: .whitespacesAndNewlines))); the nodes after it were not changed")
            }
            log("\(change.node): applied \(relativePath(change.file))" + (change.needsReboot ? " with a reboot" : " without a reboot"))
            let stage = TalosStage(env: env)
            let health = try await stage.talosctl(stage.healthArguments(waitTimeout: env.timing.healthTimeout))
            guard health.succeeded else {
                throw HomeportError("the cluster is not healthy after applying to \(change.node); stopped before the next node (see `talosctl health`)")
            }
        }
        return changes
    }

    /// What differs between the config each node runs and what the repository renders now,
    /// without touching `.talos/` (the configs are rendered into a private temporary folder).
    public func runningConfigDrift() async throws -> [NodeChange] {
        let rendered = try env.talosWorkspace.renderConfigs(input: env.definition.talosInput)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-talos-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var changes: [NodeChange] = []
        for node in env.definition.controlPlanes + env.definition.workers {
            guard let text = rendered.first(where: { $0.name == "\(node.name).yaml" })?.text else { continue }
            let file = "\(folder)/\(node.name).yaml"
            try AtomicFile.write(text, to: URL(fileURLWithPath: file), permissions: 0o600)
            var change = try await dryRun(node, file: file)
            change.file = env.machineConfigPath(node)
            changes.append(change)
        }
        return changes
    }

    func dryRun(_ node: NodeDefinition, file: String? = nil) async throws -> NodeChange {
        let file = file ?? env.machineConfigPath(node)
        let result = try await talosctl(["--nodes", node.addressText, "--endpoints", node.addressText,
                                         "apply-config", "--file", file, "--dry-run"])
        guard result.succeeded else {
            throw HomeportError("talosctl apply-config --dry-run on \(node.name) (\(node.addressText)) failed: \(env.log.redact(result.error.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
        return Self.parseDryRun(result.output, node: node.name, address: node.addressText, file: file)
    }

    /// Reads talosctl's dry-run summary: "Applied configuration with(out) a reboot (skipped in
    /// dry-run)" and the config diff that follows, or "No changes.".
    static func parseDryRun(_ output: String, node: String, address: String, file: String) -> NodeChange {
        let diff = output.components(separatedBy: "Config diff:").dropFirst().joined(separator: "Config diff:")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let changed = !diff.isEmpty && !diff.hasPrefix("No changes")
        return NodeChange(node: node, address: address, file: file, changed: changed,
                          needsReboot: changed && output.contains("with a reboot"), diff: changed ? maskSecrets(inDiff: diff) : "")
    }

    /// A machine config holds the cluster's keys and tokens, and a diff line can quote one
    /// (a changed line, or an unchanged one as context): such values are hidden before the
    /// diff is printed or logged. Hidden are values under keys that name a secret (`token`,
    /// `key`, `secret`, `password`) and lines that are the body of a PEM block or long base64.
    static func maskSecrets(inDiff diff: String) -> String {
        let secretKey = try? NSRegularExpression(
            pattern: #"^([-+ ]\s*(?:-\s+)?[A-Za-z0-9_]*(?:[Tt]oken|[Kk]ey|[Ss]ecret|[Pp]assword)s?:)\s*\S.*$"#)
        let encoded = try? NSRegularExpression(pattern: #"^([-+ ]\s*(?:-\s+)?)(?:[A-Za-z0-9+/=]{40,}|-----(?:BEGIN|END) [A-Z ]*PRIVATE KEY-----)\s*$"#)
        return diff.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let text = String(line)
            let range = NSRange(text.startIndex..., in: text)
            if let secretKey, secretKey.firstMatch(in: text, range: range) != nil {
                return secretKey.stringByReplacingMatches(in: text, range: range, withTemplate: "$1 (hidden)")
            }
            if let encoded, encoded.firstMatch(in: text, range: range) != nil {
                return encoded.stringByReplacingMatches(in: text, range: range, withTemplate: "$1(hidden)")
            }
            return text
        }.joined(separator: "\n")
    }

    /// talosctl with the cluster's talosconfig, logged as the talos stage logs its calls.
    func talosctl(_ arguments: [String]) async throws -> CommandResult {
        try await TalosStage(env: env).talosctl(["--talosconfig", env.talosconfigPath] + arguments)
    }

    func relativePath(_ path: String) -> String { path.replacingOccurrences(of: env.repoRoot + "/", with: "") }

    /// The plan as text: per node, unchanged or the diff and whether a reboot follows.
    public func render(_ changes: [NodeChange]) -> String {
        changes.map { change in
            guard change.changed else { return "\(change.node) (\(change.address)): no changes\n" }
            let how = change.needsReboot ? "needs a reboot (apply with --allow-reboot)" : "applies without a reboot"
            return "\(change.node) (\(change.address)): \(relativePath(change.file)) \(how)\n"
                + change.diff.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
        }.joined()
    }
}
