import Foundation
import HomeportCore

/// What `gen config` needs besides the secrets: the talosctl flags and generate options.
public struct MachineConfigOptions: Sendable {
    public var clusterName: String
    /// `https://host:port` of the Kubernetes API (the VIP for homeport's clusters).
    public var endpoint: String
    /// Kubernetes version without the `v`.
    public var kubernetesVersion: String
    public var contract: TalosContract
    public var additionalSANs: [String] = []
    public var allowSchedulingOnControlPlanes = false
    public var dnsDomain = "cluster.local"
    public var podSubnets = ["10.244.0.0/16"]
    public var serviceSubnets = ["10.96.0.0/12"]
    public var installDisk: String?
    public var installImage: String?
    public var extraKernelArgs: [String] = []
    public var localAPIServerPort: Int?
    public var sysctls: [(key: String, value: String)] = []
    /// A custom CNI manifest URL (`cni: {name: custom, urls: [...]}`); nil keeps the default.
    public var customCNIURL: String?
    /// `name: none` (for Cilium and friends installed later).
    public var disableDefaultCNI = false
    public var registryMirrors: [(host: String, endpoints: [String])] = []

    public init(clusterName: String, endpoint: String, kubernetesVersion: String, contract: TalosContract) {
        self.clusterName = clusterName
        self.endpoint = endpoint
        self.kubernetesVersion = kubernetesVersion.hasPrefix("v") ? String(kubernetesVersion.dropFirst()) : kubernetesVersion
        self.contract = contract
    }
}

/// The machine type of a generated config.
public enum MachineRole: String, Sendable, CaseIterable {
    case controlplane, worker
}

/// Builds the documents `talosctl gen config` writes for a version contract.
public struct MachineConfigGenerator: Sendable {
    public var options: MachineConfigOptions
    public var secrets: SecretsBundle

    public init(options: MachineConfigOptions, secrets: SecretsBundle) {
        self.options = options
        self.secrets = secrets
    }

    /// The documents for one role: the v1alpha1 config, then the multi-document configs.
    public func documents(for role: MachineRole) throws -> [ConfigValue] {
        let endpointHost = try Self.host(of: options.endpoint)
        if contract.has(.kubernetesDocuments) { return try kubernetesLayoutDocuments(for: role) }
        var documents = [config(for: role, endpointHost: endpointHost)]
        if contract.has(.multidocNetwork) {
            documents += registryMirrorDocuments()
            documents.append(Self.document("HostnameConfig", [("auto", .string("stable"))]))
        }
        return documents
    }

    var contract: TalosContract { options.contract }

    static func host(of endpoint: String) throws -> String {
        guard let url = URL(string: endpoint), let scheme = url.scheme, scheme == "https", let host = url.host, !host.isEmpty else {
            throw HomeportError.usage("the cluster endpoint must look like https://HOST:PORT, not \(endpoint)")
        }
        return host
    }

    private func config(for role: MachineRole, endpointHost: String) -> ConfigValue {
        .map([
            ("version", .string("v1alpha1")),
            ("debug", .bool(false)),
            ("persist", .bool(true)),
            ("machine", machine(for: role)),
            ("cluster", cluster(for: role, endpointHost: endpointHost)),
        ])
    }

    private func machine(for role: MachineRole) -> ConfigValue {
        let controlPlane = role == .controlplane
        let version = options.kubernetesVersion
        var features: [(String, ConfigValue?)] = []
        if !contract.has(.multidocNetwork) {
            features.append(("rbac", .bool(true)))
            if contract.has(.stableHostname) { features.append(("stableHostname", .bool(true))) }
            if contract.has(.apidCheckExtKeyUsage) { features.append(("apidCheckExtKeyUsage", .bool(true))) }
        }
        if contract.has(.diskQuotaSupport) { features.append(("diskQuotaSupport", .bool(true))) }
        if contract.has(.kubePrism) {
            features.append(("kubePrism", .map([("enabled", .bool(true)), ("port", .int(7445))])))
        }
        if contract.has(.hostDNS) {
            features.append(("hostDNS", .map([
                ("enabled", .bool(true)),
                ("forwardKubeDNSToHost", contract.has(.forwardKubeDNSToHost) ? .bool(true) : nil),
            ])))
        }
        let registries: ConfigValue? = contract.has(.multidocNetwork) || options.registryMirrors.isEmpty ? nil : .map([
            ("mirrors", .mapping(options.registryMirrors.map { (key: $0.host, value: .map([("endpoints", .strings($0.endpoints))])) })),
        ])
        return .map([
            ("type", .string(role.rawValue)),
            ("token", .string(secrets.trustdToken)),
            ("ca", .map([("crt", .string(secrets.os.crt)), ("key", .string(controlPlane ? secrets.os.key : ""))])),
            ("certSANs", .strings(options.additionalSANs)),
            ("kubelet", .map([
                ("image", .string("ghcr.io/siderolabs/kubelet:v\(version)")),
                ("defaultRuntimeSeccompProfileEnabled", .bool(true)),
                ("disableManifestsDirectory", .bool(true)),
            ])),
            ("network", contract.has(.noMachineNetwork) ? nil : .mapping([])),
            ("install", .map([
                ("disk", options.installDisk.map { .string($0) }),
                ("extraKernelArgs", options.extraKernelArgs.isEmpty ? nil : .strings(options.extraKernelArgs)),
                ("image", options.installImage.map { .string($0) }),
                ("wipe", .bool(false)),
                ("grubUseUKICmdline", contract.has(.grubUseUKICmdline) ? .bool(true) : nil),
            ])),
            ("sysctls", options.sysctls.isEmpty ? nil : .mapping(options.sysctls.map { (key: $0.key, value: .string($0.value)) })),
            ("registries", registries),
            ("features", .map(features)),
            ("nodeLabels", controlPlane && contract.has(.excludeFromExternalLoadBalancers)
                ? .map([("node.kubernetes.io/exclude-from-external-load-balancers", .string(""))]) : nil),
        ])
    }

    private func cluster(for role: MachineRole, endpointHost: String) -> ConfigValue {
        let controlPlane = role == .controlplane
        let version = options.kubernetesVersion
        var cni: ConfigValue?
        if let url = options.customCNIURL {
            cni = .map([("name", .string("custom")), ("urls", .strings([url]))])
        } else if options.disableDefaultCNI {
            cni = .map([("name", .string("none"))])
        }
        let network = ConfigValue.map([
            ("cni", cni),
            ("dnsDomain", .string(options.dnsDomain)),
            ("podSubnets", .strings(options.podSubnets)),
            ("serviceSubnets", .strings(options.serviceSubnets)),
        ])
        let discovery = ConfigValue.map([
            ("enabled", .bool(true)),
            ("registries", .map([
                ("kubernetes", contract.has(.kubernetesDiscoveryDisabled) ? .map([("disabled", .bool(true))]) : .mapping([])),
                ("service", .mapping([])),
            ])),
        ])
        let kubernetesCA = ConfigValue.map([("crt", .string(secrets.kubernetes.crt)), ("key", .string(controlPlane ? secrets.kubernetes.key : ""))])
        let common: [(String, ConfigValue?)] = [
            ("id", .string(secrets.clusterID)),
            ("secret", .string(secrets.clusterSecret)),
            ("controlPlane", .map([
                ("endpoint", .string(options.endpoint)),
                ("localAPIServerPort", controlPlane ? options.localAPIServerPort.map { .int($0) } : nil),
            ])),
            ("clusterName", controlPlane || contract.has(.clusterNameOnWorkers) ? .string(options.clusterName) : nil),
            ("network", network),
            ("token", .string(secrets.bootstrapToken)),
        ]
        guard controlPlane else {
            return .map(common + [("ca", kubernetesCA), ("discovery", discovery)])
        }
        var encryption: (String, ConfigValue?)
        if contract.secretboxEncryption {
            encryption = ("secretboxEncryptionSecret", secrets.secretboxEncryptionSecret.map { .string($0) })
        } else {
            encryption = ("aescbcEncryptionSecret", secrets.aescbcEncryptionSecret.map { .string($0) })
        }
        return .map(common + [
            encryption,
            ("ca", kubernetesCA),
            ("aggregatorCA", secrets.kubernetesAggregator.value),
            ("serviceAccount", .map([("key", .string(secrets.serviceAccountKey))])),
            ("apiServer", apiServer(endpointHost: endpointHost)),
            ("controllerManager", .map([("image", .string("registry.k8s.io/kube-controller-manager:v\(version)"))])),
            ("proxy", .map([("image", .string("registry.k8s.io/kube-proxy:v\(version)"))])),
            ("scheduler", .map([("image", .string("registry.k8s.io/kube-scheduler:v\(version)"))])),
            ("discovery", discovery),
            ("etcd", .map([("ca", secrets.etcd.value)])),
            ("allowSchedulingOnControlPlanes", options.allowSchedulingOnControlPlanes ? .bool(true) : nil),
        ])
    }

    private func apiServer(endpointHost: String) -> ConfigValue {
        var sans: [String] = contract.has(.grubUseUKICmdline) ? [] : [endpointHost]
        for san in options.additionalSANs where !sans.contains(san) { sans.append(san) }
        return .map([
            ("image", .string("registry.k8s.io/kube-apiserver:v\(options.kubernetesVersion)")),
            ("certSANs", sans.isEmpty ? nil : .strings(sans)),
            ("disablePodSecurityPolicy", contract.has(.multidocNetwork) ? nil : .bool(true)),
            ("admissionControl", contract.has(.podSecurityAdmission) ? .sequence([Self.podSecurityAdmission]) : nil),
            ("auditPolicy", contract.has(.auditPolicy) ? Self.auditPolicy : nil),
        ])
    }

    /// Talos's default PodSecurity admission configuration.
    static let podSecurityAdmission: ConfigValue = .map([
        ("name", .string("PodSecurity")),
        ("configuration", .map([
            ("apiVersion", .string("pod-security.admission.config.k8s.io/v1alpha1")),
            ("defaults", .map([
                ("audit", .string("restricted")), ("audit-version", .string("latest")),
                ("enforce", .string("baseline")), ("enforce-version", .string("latest")),
                ("warn", .string("restricted")), ("warn-version", .string("latest")),
            ])),
            ("exemptions", .map([
                ("namespaces", .strings(["kube-system"])), ("runtimeClasses", .sequence([])), ("usernames", .sequence([])),
            ])),
            ("kind", .string("PodSecurityConfiguration")),
        ])),
    ])

    /// Talos's default API server audit policy: metadata for everything.
    static let auditPolicy: ConfigValue = .map([
        ("apiVersion", .string("audit.k8s.io/v1")),
        ("kind", .string("Policy")),
        ("rules", .sequence([.map([("level", .string("Metadata"))])])),
    ])
}
