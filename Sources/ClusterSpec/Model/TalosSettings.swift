/// Talos and Kubernetes versions and the machine options every node shares.
public struct TalosSettings: Sendable, Hashable {
    public var version: SemanticVersion
    public var kubernetesVersion: SemanticVersion
    /// Image Factory system extensions, e.g. `siderolabs/qemu-guest-agent`.
    public var extensions: [String]
    /// The disk Talos installs to, e.g. `/dev/sda`.
    public var installDisk: String
    /// Whether control planes also run workloads (a one-box cluster needs it).
    public var allowSchedulingOnControlPlanes: Bool

    public init(version: SemanticVersion, kubernetesVersion: SemanticVersion, extensions: [String] = [],
                installDisk: String, allowSchedulingOnControlPlanes: Bool = false) {
        self.version = version
        self.kubernetesVersion = kubernetesVersion
        self.extensions = extensions
        self.installDisk = installDisk
        self.allowSchedulingOnControlPlanes = allowSchedulingOnControlPlanes
    }
}
