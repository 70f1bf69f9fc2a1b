import Foundation
import HomeportCore

/// How a Talos node answers.
public enum TalosNodeMode: String, Sendable {
    /// Waiting for a config (`--insecure` works).
    case maintenance
    /// Configured: it wants the talosconfig client certificate.
    case configured
    /// Not answering (still booting, or down).
    case unreachable
}

/// Stage 2: secrets, machine configs, apply, etcd bootstrap once, kubeconfig, health.
struct TalosStage {
    let env: BootstrapEnvironment

    func talosctl(_ arguments: [String]) async throws -> CommandResult {
        let result = try await env.runner.run("talosctl", arguments)
        env.log.record(stage: "talos", message: "talosctl \(arguments.joined(separator: " "))", fields: ["status": String(result.status)])
        return result
    }

    /// Asks a node in maintenance mode for its status; a configured node refuses `--insecure`.
    func mode(of node: ClusterFacts.Node) async throws -> TalosNodeMode {
        let result = try await talosctl(["get", "machinestatus", "--insecure", "--nodes", node.address, "--endpoints", node.address])
        if result.succeeded { return .maintenance }
        let text = (result.error + result.output).lowercased()
        if text.contains("certificate required") || text.contains("tls") || text.contains("permissiondenied") || text.contains("not authorized") {
            return .configured
        }
        return .unreachable
    }

    /// Waits for a node to answer in either mode.
    func waitForAnswer(_ node: ClusterFacts.Node) async throws -> TalosNodeMode {
        for attempt in 1...env.timing.attempts {
            let current = try await mode(of: node)
            if current != .unreachable { return current }
            if attempt < env.timing.attempts {
                env.log.event(stage: "talos", "\(node.name) (\(node.address)) does not answer yet; waiting")
                try await Task.sleep(for: env.timing.retryInterval)
            }
        }
        throw HomeportError("Talos node \(node.name) at \(node.address) does not answer on port 50000; check the VM console in Proxmox (it should show maintenance mode at that address)")
    }

    /// talosctl must be of the cluster's Talos minor release (its configs and API follow it).
    func checkTalosctlVersion() async throws {
        let result = try await talosctl(["version", "--client", "--short"])
        guard let found = Doctor.version(in: result.output + result.error), let wanted = Doctor.version(in: env.facts.talosVersion) else {
            throw HomeportError("cannot read the version of talosctl (`talosctl version --client --short`): \(result.error)")
        }
        guard found.0 == wanted.0, found.1 == wanted.1 else {
            throw HomeportError("talosctl is v\(found.0).\(found.1).\(found.2) but the cluster runs Talos \(env.facts.talosVersion): install talosctl v\(wanted.0).\(wanted.1).x (see `homeport doctor`)")
        }
    }

    func run(clusterExistedBefore: Bool, newCluster: Bool) async throws {
        try await checkTalosctlVersion()
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: env.talosDirectory, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
        if !fileManager.fileExists(atPath: env.secretsPath) {
            var configured: [String] = []
            var allInMaintenance = true
            for node in env.facts.nodes {
                let current = try await mode(of: node)
                if current == .configured { configured.append(node.name) }
                if current != .maintenance { allInMaintenance = false }
            }
            // Existing VMs whose nodes all wait in maintenance mode hold no cluster yet
            // (e.g. after `up --only vms`); anything else may hold one that new secrets would orphan.
            if ((clusterExistedBefore && !allInMaintenance) || !configured.isEmpty) && !newCluster {
                let reason = configured.isEmpty ? "its VMs already existed before this run" : "\(configured.joined(separator: ", ")) answer outside maintenance mode"
                throw HomeportError("refusing to generate new Talos secrets: cluster \(env.facts.name) already exists (\(reason)) and \(env.talosDirectoryDisplay)/secrets.yaml is missing; restore it from your backup (`homeport backup`), or pass --new-cluster to start over")
            }
            try await env.talos.generateSecrets(to: env.secretsPath)
            env.log.event(stage: "talos", "generated a new secrets bundle in \(env.talosDirectoryDisplay)/secrets.yaml")
        } else {
            env.log.event(stage: "talos", "secrets bundle present: \(env.talosDirectoryDisplay)/secrets.yaml")
        }
        try await env.talos.generateConfigs(for: env.facts, secretsPath: env.secretsPath, directory: env.talosDirectory)
        try fileManager.createDirectory(atPath: "\(env.talosDirectory)/patches", withIntermediateDirectories: true)
        for node in env.facts.nodes {
            try AtomicFile.write(TalosNodePatch.yaml(for: node, facts: env.facts), to: URL(fileURLWithPath: patchPath(node)), permissions: 0o600)
        }
        env.log.event(stage: "talos", "machine configs written to \(env.talosDirectoryDisplay)")
        let controlPlanes = env.facts.controlPlanes.map(\.address)
        guard let first = env.firstControlPlane else { throw HomeportError("the cluster definition has no control-plane node") }
        try await check(talosctl(["--talosconfig", env.talosconfigPath, "config", "endpoint"] + controlPlanes), "config endpoint")
        try await check(talosctl(["--talosconfig", env.talosconfigPath, "config", "node", first.address]), "config node")
        for node in env.facts.controlPlanes + env.facts.workers {
            switch try await waitForAnswer(node) {
            case .maintenance:
                try await check(talosctl(applyArguments(node)), "apply-config to \(node.name)")
                env.log.event(stage: "talos", "applied the \(node.role) config to \(node.name) (\(node.address))")
            case .configured, .unreachable:
                env.log.event(stage: "talos", "\(node.name) is already configured")
            }
        }
        try await bootstrapEtcd(first)
        try await check(talosctl(["--talosconfig", env.talosconfigPath, "--nodes", first.address, "--endpoints", first.address,
                                  "kubeconfig", env.kubeconfigPath, "--force"]), "kubeconfig")
        chmod(env.kubeconfigPath, 0o600)
        env.log.event(stage: "talos", "kubeconfig written to \(env.talosDirectoryDisplay)/kubeconfig")
        try await check(talosctl(healthArguments(waitTimeout: env.timing.healthTimeout)), "health")
        env.log.event(stage: "talos", "cluster healthy")
    }

    /// Bootstraps etcd exactly once: skipped when etcd already runs; retried while the node
    /// is not ready for it; `AlreadyExists` counts as done.
    func bootstrapEtcd(_ first: ClusterFacts.Node) async throws {
        let base = ["--talosconfig", env.talosconfigPath, "--nodes", first.address, "--endpoints", first.address]
        for attempt in 1...env.timing.attempts {
            let service = try await talosctl(base + ["service", "etcd"])
            if service.succeeded, service.output.contains("Running") {
                env.log.event(stage: "talos", "etcd is already running on \(first.name); no bootstrap needed")
                return
            }
            let result = try await talosctl(base + ["bootstrap"])
            if result.succeeded {
                env.log.event(stage: "talos", "bootstrapped etcd on \(first.name)")
                return
            }
            if (result.error + result.output).contains("AlreadyExists") {
                env.log.event(stage: "talos", "etcd was already bootstrapped on \(first.name)")
                return
            }
            if attempt < env.timing.attempts {
                env.log.event(stage: "talos", "etcd is not ready for bootstrap yet (\(result.error.trimmingCharacters(in: .whitespacesAndNewlines))); retrying")
                try await Task.sleep(for: env.timing.retryInterval)
            }
        }
        throw HomeportError("etcd bootstrap on \(first.name) did not succeed after \(env.timing.attempts) attempts; see `talosctl -n \(first.address) dmesg`")
    }

    func patchPath(_ node: ClusterFacts.Node) -> String { "\(env.talosDirectory)/patches/\(node.name).yaml" }

    func applyArguments(_ node: ClusterFacts.Node) -> [String] {
        ["apply-config", "--insecure", "--nodes", node.address,
         "--file", "\(env.talosDirectory)/\(node.isControlPlane ? "controlplane" : "worker").yaml",
         "--config-patch", "@\(patchPath(node))"]
    }

    func healthArguments(waitTimeout: String) -> [String] {
        guard let first = env.firstControlPlane else { return [] }
        var arguments = ["--talosconfig", env.talosconfigPath, "--nodes", first.address, "--endpoints", first.address, "health",
                         "--wait-timeout", waitTimeout, "--control-plane-nodes", env.facts.controlPlanes.map(\.address).joined(separator: ",")]
        if !env.facts.workers.isEmpty { arguments += ["--worker-nodes", env.facts.workers.map(\.address).joined(separator: ",")] }
        return arguments
    }

    func check(_ result: CommandResult, _ what: String) throws {
        guard result.succeeded else {
            throw HomeportError("talosctl \(what) failed: \(env.log.redact(result.error.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
    }
}
