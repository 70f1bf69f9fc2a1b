import ClusterSpec
import Foundation
import HomeportCore
import Proxmox
import Talos

/// The stages of `homeport up`, in order.
public enum BootstrapStage: String, Sendable, CaseIterable, Comparable {
    case vms, talos, flux, check

    public static func < (lhs: BootstrapStage, rhs: BootstrapStage) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .vms: 0
        case .talos: 1
        case .flux: 2
        case .check: 3
        }
    }
}

/// How the Git credentials Secret for Flux is made.
public enum GitCredentials: Sendable, Hashable {
    /// An SSH deploy key and the known_hosts entries of the Git host.
    case deployKey(privateKeyPath: String, knownHostsPath: String)
    /// An HTTPS token (kept in memory only, written to the Secret through a 0600 temp file).
    case token(username: String, token: String)
}

/// Waits and retries, shortened in tests.
public struct BootstrapTiming: Sendable {
    public var retryInterval: Duration
    /// Attempts for the etcd bootstrap and for nodes that do not answer yet.
    public var attempts: Int
    public var healthTimeout: String
    public var waitTimeout: String

    public init(retryInterval: Duration = .seconds(10), attempts: Int = 60, healthTimeout: String = "10m", waitTimeout: String = "10m") {
        self.retryInterval = retryInterval
        self.attempts = attempts
        self.healthTimeout = healthTimeout
        self.waitTimeout = waitTimeout
    }
}

/// Everything a bootstrap run works with.
public struct BootstrapEnvironment: Sendable {
    public var repoRoot: String
    /// The validated cluster definition: the one model of the cluster every stage reads.
    public var definition: ClusterDefinition
    public var runner: any CommandRunner
    /// nil when the Proxmox token secret is not available (dry runs still work).
    public var proxmox: ProxmoxConnection?
    public var ageKeyFile: String?
    public var gitCredentials: GitCredentials?
    public var timing: BootstrapTiming
    public var log: BootstrapLog
    /// Asks whether something answers at an address: the planned-address check before VMs
    /// are created, and the maintenance API while waiting. Tests inject one that never
    /// touches the network.
    public var prober: any AddressProber

    public init(repoRoot: String, definition: ClusterDefinition, runner: any CommandRunner,
                proxmox: ProxmoxConnection?, ageKeyFile: String?, gitCredentials: GitCredentials?,
                timing: BootstrapTiming = BootstrapTiming(), log: BootstrapLog, prober: any AddressProber) {
        self.repoRoot = repoRoot
        self.definition = definition
        self.runner = runner
        self.proxmox = proxmox
        self.ageKeyFile = ageKeyFile
        self.gitCredentials = gitCredentials
        self.timing = timing
        self.log = log
        self.prober = prober
    }

    /// The Talos module's view of `.talos/CLUSTER` and `cluster/talos/`: `up` renders with it,
    /// exactly as `homeport talos gen` does.
    public var talosWorkspace: TalosWorkspace { TalosWorkspace(repositoryRoot: repoRoot, clusterName: definition.name) }
    /// `.talos/CLUSTER` (gitignored): secrets bundle, machine configs, talosconfig, kubeconfig.
    public var talosDirectory: String { talosWorkspace.folder }
    /// Relative form, for readable output.
    public var talosDirectoryDisplay: String { ".talos/\(definition.name)" }
    public var secretsPath: String { talosWorkspace.secretsPath }
    public var talosconfigPath: String { talosWorkspace.talosconfigPath }
    public var kubeconfigPath: String { "\(talosDirectory)/kubeconfig" }

    /// The machine config `talos gen` writes for a node, and `up` applies.
    public func machineConfigPath(_ node: NodeDefinition) -> String { "\(talosDirectory)/\(node.name).yaml" }

    /// The first control plane: the target of bootstrap, kubeconfig and health.
    public var firstControlPlane: NodeDefinition? { definition.firstControlPlane }
}
