import ClusterSpec
import Foundation
import HomeportCore
import Proxmox
import Talos

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
    func mode(of node: NodeDefinition) async throws -> TalosNodeMode {
        let address = node.addressText
        let result = try await talosctl(["get", "machinestatus", "--insecure", "--nodes", address, "--endpoints", address])
        if result.succeeded { return .maintenance }
        let text = (result.error + result.output).lowercased()
        if text.contains("certificate required") || text.contains("tls") || text.contains("permissiondenied") || text.contains("not authorized") {
            return .configured
        }
        return .unreachable
    }

    /// Waits for a node to answer in either mode, showing what Proxmox sees of it meanwhile;
    /// on timeout the error names the likely cause and the next step.
    func waitForAnswer(_ node: NodeDefinition) async throws -> TalosNodeMode {
        let started = ContinuousClock.now
        for attempt in 1...env.timing.attempts {
            let current = try await mode(of: node)
            if current != .unreachable { return current }
            if attempt < env.timing.attempts {
                let view = await observe(node).map(BringUpDiagnosis.viewLine) ?? "\(node.name) (\(node.address)) does not answer yet"
                env.log.event(stage: "talos", view + "; waiting")
                try await Task.sleep(for: env.timing.retryInterval)
            }
        }
        let waited = Int((ContinuousClock.now - started).components.seconds)
        if let observation = await observe(node) {
            throw HomeportError(BringUpDiagnosis.timeoutReport([observation], waitedSeconds: waited, dhcpRange: env.definition.dhcpBounds))
        }
        throw HomeportError("Talos node \(node.name) at \(node.address) does not answer on port 50000; check the VM console in Proxmox (it should show maintenance mode at that address)")
    }

    /// What Proxmox and the network show of a node's VM, or nil without a Proxmox connection
    /// (or when the host cannot be read: the wait goes on without the view).
    func observe(_ node: NodeDefinition) async -> BringUpObservation? {
        guard let connection = env.proxmox, let input = try? env.definition.proxmoxPlanInput(),
              let spec = input.vms.first(where: { $0.name == node.name }) else { return nil }
        let prober = env.prober
        return try? await ProxmoxClient.with(connection) { client in
            try await BringUpObserver(client: client, input: input, prober: prober).observe(spec)
        }
    }

    /// talosctl must be of the cluster's Talos minor release (its configs and API follow it).
    func checkTalosctlVersion() async throws {
        let result = try await talosctl(["version", "--client", "--short"])
        let talosVersion = env.definition.talos.version.description
        guard let found = Doctor.version(in: result.output + result.error), let wanted = Doctor.version(in: talosVersion) else {
            throw HomeportError("cannot read the version of talosctl (`talosctl version --client --short`): \(result.error)")
        }
        guard found.0 == wanted.0, found.1 == wanted.1 else {
            throw HomeportError("talosctl is v\(found.0).\(found.1).\(found.2) but the cluster runs Talos \(talosVersion): install talosctl v\(wanted.0).\(wanted.1).x (see `homeport doctor`)")
        }
    }

    func run(clusterExistedBefore: Bool, newCluster: Bool) async throws {
        try await checkTalosctlVersion()
        let definition = env.definition
        let workspace = env.talosWorkspace
        let input = definition.talosInput
        if !FileManager.default.fileExists(atPath: env.secretsPath) {
            var configured: [String] = []
            var allInMaintenance = true
            for node in definition.nodes {
                let current = try await mode(of: node)
                if current == .configured { configured.append(node.name) }
                if current != .maintenance { allInMaintenance = false }
            }
            // Existing VMs whose nodes all wait in maintenance mode hold no cluster yet
            // (e.g. after `up --only vms`); anything else may hold one that new secrets would orphan.
            if ((clusterExistedBefore && !allInMaintenance) || !configured.isEmpty) && !newCluster {
                let reason = configured.isEmpty ? "its VMs already existed before this run" : "\(configured.joined(separator: ", ")) answer outside maintenance mode"
                throw HomeportError("refusing to generate new Talos secrets: cluster \(definition.name) already exists (\(reason)) and \(env.talosDirectoryDisplay)/secrets.yaml is missing; restore it from your backup (`homeport backup`), or pass --new-cluster to start over")
            }
            try workspace.createSecrets(contract: try input.contract)
            env.log.event(stage: "talos", "generated a new secrets bundle in \(env.talosDirectoryDisplay)/secrets.yaml")
        } else {
            env.log.event(stage: "talos", "secrets bundle present: \(env.talosDirectoryDisplay)/secrets.yaml")
        }
        // The same rendering as `homeport talos gen`: every patch, the CIDRs, scheduling and
        // each node's own documents, in the layout of the cluster's Talos version.
        try workspace.writeConfigs(input: input)
        env.log.event(stage: "talos", "machine configs rendered to \(env.talosDirectoryDisplay) (as `homeport talos gen` does)")
        guard let first = env.firstControlPlane else { throw HomeportError("the cluster definition has no control-plane node") }
        for node in definition.controlPlanes + definition.workers {
            switch try await waitForAnswer(node) {
            case .maintenance:
                try await check(talosctl(applyArguments(node)), "apply-config to \(node.name)")
                env.log.event(stage: "talos", "applied \(env.talosDirectoryDisplay)/\(node.name).yaml to \(node.name) (\(node.addressText))")
            case .configured, .unreachable:
                env.log.event(stage: "talos", "\(node.name) is already configured; `homeport talos apply` brings config changes to running nodes")
            }
        }
        try await bootstrapEtcd(first)
        try await check(talosctl(["--talosconfig", env.talosconfigPath, "--nodes", first.addressText, "--endpoints", first.addressText,
                                  "kubeconfig", env.kubeconfigPath, "--force"]), "kubeconfig")
        chmod(env.kubeconfigPath, 0o600)
        env.log.event(stage: "talos", "kubeconfig written to \(env.talosDirectoryDisplay)/kubeconfig")
        try await check(talosctl(healthArguments(waitTimeout: env.timing.healthTimeout)), "health")
        env.log.event(stage: "talos", "cluster healthy")
    }

    /// Bootstraps etcd exactly once: skipped when etcd already runs; retried while the node
    /// is not ready for it; `AlreadyExists` counts as done.
    func bootstrapEtcd(_ first: NodeDefinition) async throws {
        let base = ["--talosconfig", env.talosconfigPath, "--nodes", first.addressText, "--endpoints", first.addressText]
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
        throw HomeportError("etcd bootstrap on \(first.name) did not succeed after \(env.timing.attempts) attempts; see `talosctl -n \(first.addressText) dmesg`")
    }

    /// `apply-config` of the node's own rendered file: no patch is added on the way.
    func applyArguments(_ node: NodeDefinition) -> [String] {
        ["apply-config", "--insecure", "--nodes", node.addressText, "--file", env.machineConfigPath(node)]
    }

    func healthArguments(waitTimeout: String) -> [String] {
        guard let first = env.firstControlPlane else { return [] }
        let definition = env.definition
        var arguments = ["--talosconfig", env.talosconfigPath, "--nodes", first.addressText, "--endpoints", first.addressText, "health",
                         "--wait-timeout", waitTimeout, "--control-plane-nodes", definition.controlPlanes.map(\.addressText).joined(separator: ",")]
        if !definition.workers.isEmpty { arguments += ["--worker-nodes", definition.workers.map(\.addressText).joined(separator: ",")] }
        return arguments
    }

    func check(_ result: CommandResult, _ what: String) throws {
        guard result.succeeded else {
            throw HomeportError("talosctl \(what) failed: \(env.log.redact(result.error.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
    }
}
