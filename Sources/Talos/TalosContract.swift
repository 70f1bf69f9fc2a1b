import HomeportCore

/// A Talos machine-config version contract: which fields a given Talos release expects from
/// `gen config`. Differences between releases are rows in ``switches``, not code paths.
public struct TalosContract: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    /// Contracts whose output homeport checks against the release's JSON schema and, from
    /// v1.12 on, upstream's golden files (Tests/TalosTests/GoldenConfigTests.swift).
    public static let verified: [TalosContract] = [TalosContract(1, 11), TalosContract(1, 12), TalosContract(1, 13), TalosContract(1, 14)]
    /// Every contract homeport generates for.
    public static let supported: [TalosContract] = verified

    /// The Kubernetes minor a release installs by default (it also supports the five before).
    public static let defaultKubernetesMinor: [TalosContract: String] = [
        TalosContract(1, 11): "1.34", TalosContract(1, 12): "1.35", TalosContract(1, 13): "1.36", TalosContract(1, 14): "1.37",
    ]

    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `v1.13`, `1.13` or `v1.13.9`; refuses versions homeport has no data for.
    public init(parsing text: String) throws {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".").map { Int($0) }
        guard parts.count >= 2, parts.count <= 3, let major = parts[0], let minor = parts[1], parts.allSatisfy({ $0 != nil }) else {
            throw HomeportError.usage("\(text) is not a Talos version (expected vX.Y or vX.Y.Z)")
        }
        self.init(major, minor)
        guard Self.supported.contains(self) else {
            throw HomeportError.usage("Talos \(self) is not supported; homeport generates configs for \(Self.supported.map(\.description).joined(separator: ", "))")
        }
    }

    public var description: String { "v\(major).\(minor)" }

    public static func < (lhs: TalosContract, rhs: TalosContract) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// A behaviour of `gen config` that changed at one release.
    public enum Switch: String, Sendable, CaseIterable {
        case podSecurityAdmission, stableHostname, allowSchedulingOnControlPlanes, kubernetesDiscoveryDisabled
        case secretboxEncryption, apidCheckExtKeyUsage, auditPolicy
        case diskQuotaSupport, kubePrism, hostDNS, rsaServiceAccountKey
        case clusterNameOnWorkers, forwardKubeDNSToHost, excludeFromExternalLoadBalancers
        /// Networking, hostname and registry mirrors move to their own documents; rbac,
        /// stableHostname, apidCheckExtKeyUsage and disablePodSecurityPolicy are no longer written.
        case multidocNetwork
        /// `install.grubUseUKICmdline: true` and `apiServer.certSANs` without the endpoint host.
        case grubUseUKICmdline
        /// The empty `machine.network` is no longer written.
        case noMachineNetwork
        /// Kubelet, install, Kubernetes components, CAs, discovery and node settings leave the
        /// v1alpha1 document for documents of their own (`KubeletConfig`,
        /// `UnattendedInstallConfig`, `KubeAPIServerConfig`, …); v1alpha1 keeps the Talos
        /// identity (`machine.ca`, tokens, `certSANs`) and etcd.
        case kubernetesDocuments
    }

    /// Each switch and the last release *without* it (Talos's own "greater than" checks).
    public static let switches: [Switch: TalosContract] = [
        .podSecurityAdmission: TalosContract(1, 0),
        .stableHostname: TalosContract(1, 1), .allowSchedulingOnControlPlanes: TalosContract(1, 1),
        .kubernetesDiscoveryDisabled: TalosContract(1, 1),
        .secretboxEncryption: TalosContract(1, 2), .apidCheckExtKeyUsage: TalosContract(1, 2), .auditPolicy: TalosContract(1, 2),
        .diskQuotaSupport: TalosContract(1, 4), .kubePrism: TalosContract(1, 5),
        .hostDNS: TalosContract(1, 6), .rsaServiceAccountKey: TalosContract(1, 6),
        .clusterNameOnWorkers: TalosContract(1, 7), .forwardKubeDNSToHost: TalosContract(1, 7),
        .excludeFromExternalLoadBalancers: TalosContract(1, 7),
        .multidocNetwork: TalosContract(1, 11),
        .grubUseUKICmdline: TalosContract(1, 11), .noMachineNetwork: TalosContract(1, 12),
        .kubernetesDocuments: TalosContract(1, 13),
    ]

    public func has(_ feature: Switch) -> Bool {
        guard let lastWithout = Self.switches[feature] else { return false }
        return self > lastWithout
    }

    public var rsaServiceAccountKey: Bool { has(.rsaServiceAccountKey) }
    public var secretboxEncryption: Bool { has(.secretboxEncryption) }
}
