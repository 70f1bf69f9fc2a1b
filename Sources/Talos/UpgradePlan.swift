import Foundation
import HomeportCore

/// How the upgrade talks to talosctl and kubectl: synchronously, output streamed or read.
/// Tests replace it or put a fake on PATH; the real one goes through HomeportCore's runner.
public protocol UpgradeCommandRunner: Sendable {
    /// Runs `arguments[0]` with the rest, streaming its output; returns the exit status.
    func run(_ arguments: [String]) throws -> Int32
    /// Runs `arguments[0]` with the rest and returns its exit status and standard output
    /// (standard error still streams, so the user sees why a read failed).
    func capture(_ arguments: [String]) throws -> (status: Int32, output: String)
}

/// Runs programs found on PATH.
public struct ProcessCommandRunner: UpgradeCommandRunner {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func run(_ arguments: [String]) throws -> Int32 {
        try launch(arguments, capturingOutput: false).status
    }

    public func capture(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try launch(arguments, capturingOutput: true)
    }

    private func launch(_ arguments: [String], capturingOutput: Bool) throws -> (status: Int32, output: String) {
        guard let name = arguments.first else { throw HomeportError("empty command") }
        guard ProcessRunner.which(name, path: environment["PATH"] ?? "") != nil else {
            throw HomeportError("\(name) is not on PATH; install it (the version matching the cluster) and retry")
        }
        // Output streams to the user unless it is read: an upgrade takes minutes and talosctl
        // reports progress.
        let invocation = ProcessInvocation(name, Array(arguments.dropFirst()), environment: environment,
                                           output: capturingOutput ? .capture : .inherit, error: .inherit)
        let result = try ProcessRunner(environment: environment).runBlocking(invocation)
        return (result.status, result.output)
    }
}

/// The documented Talos upgrade sequence for one cluster: an etcd snapshot first, control
/// planes one at a time with a health check after each, then workers, then Kubernetes.
/// ``UpgradePlanner`` builds one from the versions the nodes run; the initializer below plans
/// from the repository alone (every node is assumed to need the upgrade), as a pull request can.
public struct UpgradePlan: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var summary: String
        public var arguments: [String]

        public init(summary: String, arguments: [String]) {
            self.summary = summary
            self.arguments = arguments
        }
    }

    public var steps: [Step]
    /// What the person running the plan should know first (e.g. the API going down).
    public var warnings: [String] = []

    public init(steps: [Step], warnings: [String] = []) {
        self.steps = steps
        self.warnings = warnings
    }

    /// - Parameters:
    ///   - installerImage: the new installer, e.g. `factory.talos.dev/nocloud-installer/<id>:v1.13.9`.
    ///   - kubernetesVersion: the target Kubernetes version; nil leaves Kubernetes alone.
    ///   - snapshotPath: where the etcd snapshot goes (kept outside git, next to the secrets).
    ///   - talosctl: the program to run (a path when several talosctl versions are installed).
    public init(talosconfig: String, controlPlanes: [String], workers: [String], installerImage: String,
                kubernetesVersion: String?, snapshotPath: String, talosctl program: String = "talosctl") throws {
        guard let first = controlPlanes.first else {
            throw HomeportError.usage("the cluster has no control-plane node to upgrade through")
        }
        let talosctl = Talosctl(program: program, talosconfig: talosconfig).arguments
        var steps = [Step(summary: "snapshot etcd from \(first) to \(snapshotPath)",
                          arguments: talosctl(first, ["etcd", "snapshot", snapshotPath]))]
        for node in controlPlanes + workers {
            let role = controlPlanes.contains(node) ? "control plane" : "worker"
            steps.append(Step(summary: "upgrade \(role) \(node) to \(installerImage)",
                              arguments: talosctl(node, ["upgrade", "--image", installerImage, "--wait"])))
            // Health is checked through the first control plane, which answers for the cluster.
            let healthNode = controlPlanes.contains(node) ? node : first
            steps.append(Step(summary: "wait until the cluster is healthy after \(node)",
                              arguments: talosctl(healthNode, ["health", "--wait-timeout", "10m"])))
        }
        if let kubernetesVersion {
            let version = kubernetesVersion.hasPrefix("v") ? String(kubernetesVersion.dropFirst()) : kubernetesVersion
            steps.append(Step(summary: "upgrade Kubernetes to \(version)",
                              arguments: talosctl(first, ["upgrade-k8s", "--to", version])))
        }
        self.steps = steps
        self.warnings = controlPlanes.count == 1 ? [Self.singleControlPlaneWarning(first)] : []
    }

    /// What a single control plane means for the upgrade.
    static func singleControlPlaneWarning(_ node: String) -> String {
        "the cluster has a single control plane (\(node)): the Kubernetes API is unavailable while it upgrades and reboots (a few minutes); running workloads keep running"
    }

    /// The plan as shell lines, for the default (dry) mode.
    public var text: String {
        warnings.map { "warning: \($0)\n" }.joined() + steps.enumerated().map { index, step in
            "\(index + 1). \(step.summary)\n   \(step.arguments.map(Self.shellQuoted).joined(separator: " "))"
        }.joined(separator: "\n") + "\n"
    }

    /// Runs the steps in order and stops at the first failure, so a broken node never takes
    /// the next one down with it.
    public func execute(with runner: any UpgradeCommandRunner, log: (String) -> Void) throws {
        for (index, step) in steps.enumerated() {
            log("[\(index + 1)/\(steps.count)] \(step.summary)")
            let status = try runner.run(step.arguments)
            if status != 0 {
                throw HomeportError("step \(index + 1) failed (exit \(status)): \(step.summary); later steps were not run")
            }
        }
    }

    static func shellQuoted(_ word: String) -> String {
        word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,".contains($0) } ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// How homeport calls talosctl: always with the cluster's talosconfig, and with the node as
/// its own endpoint, so a node is reached directly even while the VIP moves.
public struct Talosctl: Sendable, Equatable {
    public var program: String
    public var talosconfig: String

    public init(program: String = "talosctl", talosconfig: String) {
        self.program = program
        self.talosconfig = talosconfig
    }

    /// `talosctl --talosconfig … --nodes NODE --endpoints NODE REST…`.
    public func arguments(_ node: String, _ rest: [String]) -> [String] {
        [program, "--talosconfig", talosconfig, "--nodes", node, "--endpoints", node] + rest
    }
}

extension UpgradePlan {
    /// The plan the repository alone implies (as a pull request can show it): every node of
    /// the definition is assumed to need the upgrade to the schematic's installer.
    public init(fromRepository input: TalosGenerationInput, workspace: TalosWorkspace, snapshotPath: String,
                talosctl program: String = "talosctl") throws {
        try self.init(talosconfig: workspace.talosconfigPath, controlPlanes: input.controlPlanes.compactMap(\.address),
                      workers: input.workers.compactMap(\.address),
                      installerImage: try input.schematic.installerImage(talosVersion: input.talosVersion),
                      kubernetesVersion: input.kubernetesVersion, snapshotPath: snapshotPath, talosctl: program)
    }
}
