import Foundation
import HomeportCore
import Proxmox

/// Which stages to run.
public struct BootstrapOptions: Sendable {
    public var only: BootstrapStage?
    public var from: BootstrapStage?
    public var dryRun: Bool
    /// Allows new Talos secrets although the cluster seems to exist.
    public var newCluster: Bool

    public init(only: BootstrapStage? = nil, from: BootstrapStage? = nil, dryRun: Bool = false, newCluster: Bool = false) {
        self.only = only
        self.from = from
        self.dryRun = dryRun
        self.newCluster = newCluster
    }

    /// The stages selected, in order.
    public var stages: [BootstrapStage] {
        if let only { return [only] }
        return BootstrapStage.allCases.filter { $0 >= (from ?? .vms) }
    }
}

/// `homeport up`: each stage reads reality and does only what is missing, so running it again
/// after an interruption finishes the job.
public struct Bootstrapper: Sendable {
    public let env: BootstrapEnvironment

    public init(env: BootstrapEnvironment) { self.env = env }

    /// Runs the selected stages. Returns the health report of the check stage when it ran.
    @discardableResult
    public func run(_ options: BootstrapOptions) async throws -> HealthReport? {
        let stages = options.stages
        env.log.record(stage: "up", level: "info", message: "start", fields: ["stages": stages.map(\.rawValue).joined(separator: ","), "cluster": env.definition.name])
        if let secret = env.proxmox?.tokenSecret { env.log.addSecret(secret) }
        var clusterExistedBefore = false
        var report: HealthReport?
        do {
            for (index, stage) in stages.enumerated() {
                env.log.event(stage: stage.rawValue, "stage \(stage.rawValue) started (\(index + 1)/\(stages.count))")
                switch stage {
                case .vms:
                    clusterExistedBefore = try await runVMs()
                case .talos:
                    if !stages.contains(.vms) { clusterExistedBefore = try await taggedVMsExist() }
                    try await TalosStage(env: env).run(clusterExistedBefore: clusterExistedBefore, newCluster: options.newCluster)
                case .flux:
                    try await FluxStage(env: env).run()
                case .check:
                    let health = await ClusterHealth(env: env).report()
                    for check in health.checks {
                        env.log.event(stage: "check", "\(check.healthy ? "ok" : "FAIL") \(check.area) \(check.name): \(check.detail)")
                    }
                    report = health
                    if !health.healthy { throw HomeportError("cluster \(env.definition.name) is not healthy (see `homeport status`)") }
                }
                env.log.event(stage: stage.rawValue, "stage \(stage.rawValue) done")
            }
        } catch {
            env.log.event(stage: "up", env.log.redact("\(error)"), level: "error")
            throw error
        }
        return report
    }

    /// Whether VMs with the cluster's tags exist (a cluster that may already have secrets).
    func taggedVMsExist() async throws -> Bool {
        guard let connection = env.proxmox else { return false }
        let input = try env.definition.proxmoxPlanInput()
        return try await ProxmoxClient.with(connection) { client in
            let inventory = try await ProxmoxInventory.read(client, for: input)
            return inventory.vms.contains { $0.tags.isSuperset(of: input.ownershipTags) }
        }
    }

    /// Stage 1. Returns whether the cluster's VMs existed before it ran.
    func runVMs() async throws -> Bool {
        guard let connection = env.proxmox else {
            throw HomeportError("the Proxmox token secret is missing: set PROXMOX_TOKEN_SECRET or proxmox.tokenSecretFile", kind: .usage)
        }
        let input = try env.definition.proxmoxPlanInput()
        let log = env.log
        return try await ProxmoxClient.with(connection) { client in
            let deployer = ProxmoxDeployer(client: client, input: input) { step in
                log.event(stage: "vms", "\(step.verb) \(step.subject)")
            }
            let plan = try await deployer.plan()
            let existed = plan.vms.contains { $0.action != .create }
            // The plan's actions are shown; its warnings come as warnings, unchanged VMs only in the log.
            for line in plan.renderText().split(separator: "\n").dropFirst() {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.hasPrefix("warning:") || text.hasPrefix("error:") || text.hasPrefix("unchanged") || text.hasPrefix("present") || text == "Nothing to do." {
                    log.record(stage: "vms", level: "info", message: text)
                } else {
                    log.event(stage: "vms", "plan: " + text)
                }
            }
            for warning in plan.warnings { log.event(stage: "vms", warning, level: "warning") }
            if !plan.hasChanges {
                log.event(stage: "vms", "all VMs exist and run as defined")
                return existed
            }
            // Nothing may answer at an address a new VM is about to take (a forgotten machine,
            // a DHCP lease): two hosts on one address fail in ways no log explains.
            let taken = await PlannedAddressCheck.problems(plan: plan, input: input, prober: env.prober)
            if !taken.isEmpty {
                throw HomeportError("nothing was created: " + taken.joined(separator: "; "))
            }
            try await deployer.apply()
            return existed
        }
    }
}

extension Bootstrapper {
    /// The health report of `homeport status` (the check stage without failing).
    public func health() async -> HealthReport {
        await ClusterHealth(env: env).report()
    }
}
