import ClusterSpec
import Foundation
import HomeportCore
import Proxmox
import Talos

/// One line of the health report.
public struct HealthCheck: Sendable, Hashable, Codable {
    public var area: String
    public var name: String
    public var healthy: Bool
    public var detail: String
}

/// `homeport status`: from VM to HelmRelease, with an overall verdict.
public struct HealthReport: Sendable, Hashable, Codable {
    public var cluster: String
    public var checks: [HealthCheck]

    public var healthy: Bool { checks.allSatisfy(\.healthy) }

    public func renderText() -> String {
        var lines = ["Cluster \(cluster):"]
        for check in checks {
            lines.append("  \(check.healthy ? "ok  " : "FAIL") \(check.area.padding(toLength: 15, withPad: " ", startingAt: 0)) \(check.name): \(check.detail)")
        }
        let failed = checks.filter { !$0.healthy }.count
        lines.append(healthy ? "Verdict: healthy (\(checks.count) checks passed)" : "Verdict: UNHEALTHY (\(failed) of \(checks.count) checks failed)")
        return lines.joined(separator: "\n") + "\n"
    }

    public func renderJSON() -> String {
        struct Output: Codable { var cluster: String; var healthy: Bool; var checks: [HealthCheck] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Output(cluster: cluster, healthy: healthy, checks: checks))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Gathers the health report from Proxmox, talosctl, kubectl and git.
struct ClusterHealth {
    let env: BootstrapEnvironment

    /// Namespaces whose objects are the platform's own, not Flux's.
    static let systemNamespaces: Set<String> = ["kube-system", "kube-public", "kube-node-lease", "flux-system"]

    func report() async -> HealthReport {
        var checks: [HealthCheck] = []
        checks += await vmChecks()
        checks += await talosChecks()
        checks += await runningConfigChecks()
        checks += await kubernetesChecks()
        return HealthReport(cluster: env.definition.name, checks: checks)
    }

    func vmChecks() async -> [HealthCheck] {
        guard let connection = env.proxmox else {
            return [HealthCheck(area: "proxmox", name: "VMs", healthy: false, detail: "PROXMOX_TOKEN_SECRET (or proxmox.tokenSecretFile) is not set")]
        }
        do {
            let statuses = try await ProxmoxClient.with(connection) { client in
                try await ProxmoxDeployer(client: client, input: try env.definition.proxmoxPlanInput()).status()
            }
            return statuses.map { vm in
                var detail = vm.state
                if !vm.pendingKeys.isEmpty { detail += ", pending until restart: \(vm.pendingKeys.joined(separator: ", "))" }
                if let lock = vm.lock, !lock.isEmpty { detail += ", locked (\(lock))" }
                return HealthCheck(area: "proxmox", name: "\(vm.name) (VMID \(vm.vmid))", healthy: vm.isHealthy, detail: detail)
            }
        } catch {
            return [HealthCheck(area: "proxmox", name: "VMs", healthy: false, detail: "\(error)")]
        }
    }

    func talosChecks() async -> [HealthCheck] {
        let stage = TalosStage(env: env)
        guard FileManager.default.fileExists(atPath: env.talosconfigPath) else {
            return [HealthCheck(area: "talos", name: "health", healthy: false, detail: "no \(env.talosDirectoryDisplay)/talosconfig (run `homeport up --only talos`)")]
        }
        do {
            let result = try await env.runner.run("talosctl", stage.healthArguments(waitTimeout: "30s"))
            let detail = result.succeeded ? "all checks passed" : (result.error.split(separator: "\n").last.map(String.init) ?? "failed")
            return [HealthCheck(area: "talos", name: "health", healthy: result.succeeded, detail: env.log.redact(detail))]
        } catch {
            return [HealthCheck(area: "talos", name: "health", healthy: false, detail: "\(error)")]
        }
    }

    func kubectlJSON(_ arguments: [String]) async -> (JSONValue?, String) {
        do {
            let result = try await env.runner.run("kubectl", ["--kubeconfig", env.kubeconfigPath] + arguments + ["-o", "json"])
            // kubectl's errors can quote a credential: every message is redacted before it is shown.
            guard result.succeeded else { return (nil, env.log.redact(result.error.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines))) }
            return (JSONValue.parse(Data(result.output.utf8)), "")
        } catch {
            return (nil, env.log.redact("\(error)"))
        }
    }

    static func readyCondition(_ item: JSONValue) -> (Bool, String) {
        let conditions = item["status"]?["conditions"]?.array ?? []
        guard let ready = conditions.first(where: { $0["type"]?.string == "Ready" }) else { return (false, "no Ready condition") }
        let ok = ready["status"]?.string == "True"
        return (ok, ok ? "Ready" : (ready["message"]?.string ?? ready["reason"]?.string ?? "not Ready"))
    }

    static func name(_ item: JSONValue) -> String {
        let name = item["metadata"]?["name"]?.string ?? "?"
        if let namespace = item["metadata"]?["namespace"]?.string { return "\(namespace)/\(name)" }
        return name
    }

    /// Nodes whose running config differs from what the repository renders (an edited patch
    /// or definition not yet applied with `homeport talos apply`).
    func runningConfigChecks() async -> [HealthCheck] {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: env.secretsPath), fileManager.fileExists(atPath: env.talosconfigPath) else { return [] }
        do {
            return try await TalosConfigRollout(env: env).runningConfigDrift().map { change in
                HealthCheck(area: "talos config", name: change.node, healthy: !change.changed,
                            detail: change.changed ? "runs a config other than the repository renders; see `homeport talos apply --dry-run`"
                                + (change.needsReboot ? " (the change needs a reboot)" : "")
                                : "runs what the repository renders")
            }
        } catch {
            return [HealthCheck(area: "talos config", name: "running configs", healthy: false, detail: env.log.redact("\(error)"))]
        }
    }

    func kubernetesChecks() async -> [HealthCheck] {
        guard FileManager.default.fileExists(atPath: env.kubeconfigPath) else {
            return [HealthCheck(area: "kubernetes", name: "nodes", healthy: false,
                                detail: "no \(env.talosDirectoryDisplay)/kubeconfig (run `homeport up --only talos`)")]
        }
        var checks: [HealthCheck] = []
        let (nodes, nodesError) = await kubectlJSON(["get", "nodes"])
        guard let nodes else {
            return [HealthCheck(area: "kubernetes", name: "nodes", healthy: false, detail: nodesError.isEmpty ? "kubectl failed" : nodesError)]
        }
        let items = nodes["items"]?.array ?? []
        for item in items {
            let (ok, detail) = Self.readyCondition(item)
            checks.append(HealthCheck(area: "node", name: Self.name(item), healthy: ok, detail: detail))
        }
        let present = Set(items.map { Self.name($0) })
        for node in env.definition.nodes where !present.contains(node.name) {
            checks.append(HealthCheck(area: "node", name: node.name, healthy: false, detail: "not registered in Kubernetes"))
        }
        checks.append(await fluxRevisionCheck())
        for (area, resource) in [("kustomization", "kustomizations.kustomize.toolkit.fluxcd.io"), ("helmrelease", "helmreleases.helm.toolkit.fluxcd.io")] {
            let (list, error) = await kubectlJSON(["get", resource, "-A"])
            guard let list else {
                checks.append(HealthCheck(area: area, name: resource, healthy: false, detail: error))
                continue
            }
            for item in list["items"]?.array ?? [] {
                let (ok, detail) = Self.readyCondition(item)
                checks.append(HealthCheck(area: area, name: Self.name(item), healthy: ok, detail: detail))
            }
        }
        let (workloads, error) = await kubectlJSON(["get", "deployments,statefulsets,daemonsets", "-A"])
        if let workloads {
            let unowned = (workloads["items"]?.array ?? []).filter { item in
                guard let namespace = item["metadata"]?["namespace"]?.string, !Self.systemNamespaces.contains(namespace) else { return false }
                let labels = item["metadata"]?["labels"]?.object ?? [:]
                let owned = labels["kustomize.toolkit.fluxcd.io/name"] != nil || labels["helm.toolkit.fluxcd.io/name"] != nil
                return !owned && (item["metadata"]?["ownerReferences"]?.array ?? []).isEmpty
            }
            checks.append(HealthCheck(area: "flux", name: "unmanaged objects", healthy: unowned.isEmpty,
                                      detail: unowned.isEmpty ? "every workload is owned by Flux"
                                          : "not from Git: " + unowned.map { "\($0["kind"]?.string ?? "") \(Self.name($0))" }.joined(separator: ", ")))
        } else {
            checks.append(HealthCheck(area: "flux", name: "unmanaged objects", healthy: false, detail: error))
        }
        return checks
    }

    func fluxRevisionCheck() async -> HealthCheck {
        let branch = env.definition.flux.branch
        let remote = (try? await env.runner.run("git", ["-C", env.repoRoot, "rev-parse", "origin/\(branch)"]))?.output
            .trimmingCharacters(in: CharacterSet.whitespacesAndNewlines) ?? ""
        let (instance, error) = await kubectlJSON(["-n", "flux-system", "get", "fluxinstance", "flux"])
        guard let instance else { return HealthCheck(area: "flux", name: "revision", healthy: false, detail: error) }
        let applied = instance["status"]?["lastAppliedRevision"]?.string ?? ""
        let ok = !remote.isEmpty && applied.hasSuffix(remote)
        let detail = ok ? "applied origin/\(branch) \(remote.prefix(12))"
            : "applied \(applied.isEmpty ? "nothing yet" : applied), origin/\(branch) is \(remote.isEmpty ? "unknown" : String(remote.prefix(12)))"
        return HealthCheck(area: "flux", name: "revision", healthy: ok, detail: detail)
    }
}
