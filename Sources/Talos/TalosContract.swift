import HomeportCore

/// A Talos machine-config version contract: which fields a given Talos release expects from
/// `gen config`. Differences between releases are rows in ``switches``, not code paths.
public struct TalosContract: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    /// Contracts whose output homeport checks against the release's JSON schema and golden files.
    public static let verified: [TalosContract] = [TalosContract(1, 11), TalosContract(1, 13)]
    /// Every contract homeport generates for. v1.12 follows the same data table but has no
    /// schema in the test data, so it is reported as unverified.
    public static let supported: [TalosContract] = [TalosContract(1, 11), TalosContract(1, 12), TalosContract(1, 13)]

    /// The Kubernetes minor a release installs by default (it also supports the five before).
    public static let defaultKubernetesMinor: [TalosContract: String] = [
        TalosContract(1, 11): "1.34", TalosContract(1, 12): "1.35", TalosContract(1, 13): "1.36",
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
        /// `install.grubUseUKICmdline: true`, no `machine.network`, and `apiServer.certSANs`
        /// without the endpoint host.
        case grubUseUKICmdline
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
        .grubUseUKICmdline: TalosContract(1, 12),
    ]

    public func has(_ feature: Switch) -> Bool {
        guard let lastWithout = Self.switches[feature] else { return false }
        return self > lastWithout
    }

    /// `machine.*` fields the contract's schema no longer has, and the documents that replace
    /// them. Talos still reads some of them, but configs that use them do not validate.
    public var movedMachineFields: [String: String] {
        guard has(.grubUseUKICmdline) else { return [:] }
        return [
            "time": "a TimeSyncConfig document",
            "network": "HostnameConfig, LinkConfig, ResolverConfig and Layer2VIPConfig documents",
            "registries": "RegistryMirrorConfig, RegistryAuthConfig and RegistryTLSConfig documents",
            "env": "an EnvironmentConfig document",
        ]
    }

    public var rsaServiceAccountKey: Bool { has(.rsaServiceAccountKey) }
    public var secretboxEncryption: Bool { has(.secretboxEncryption) }
}
