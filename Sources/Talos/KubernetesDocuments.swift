import HomeportCore

/// The v1.14 layout: the v1alpha1 document keeps the Talos identity and etcd; the kubelet,
/// install, Kubernetes components, CAs, discovery and node settings are documents of their own.
/// Field order follows talosctl's golden files (pkg/machinery/config/types/v1alpha1/testdata).
extension MachineConfigGenerator {
    func kubernetesLayoutDocuments(for role: MachineRole) throws -> [ConfigValue] {
        let controlPlane = role == .controlplane
        var documents = [legacyDocument(for: role)]
        documents.append(Self.document("DiscoveryServiceConfig", [("name", .string("default")), ("endpoint", .string("https://discovery.talos.dev/"))]))
        documents.append(Self.document("DiscoveryIdentityConfig", [
            ("clusterID", .string(secrets.clusterID)), ("clusterSecret", .string(secrets.clusterSecret)),
        ]))
        if let install = unattendedInstall() { documents.append(install) }
        documents.append(Self.document("ResolverConfig", [
            ("hostDNS", .map([("enabled", .bool(true)), ("forwardKubeDNSToHost", .bool(true))])),
        ]))
        if !options.sysctls.isEmpty {
            documents.append(Self.document("SysctlConfig", [("params", .mapping(options.sysctls.map { (key: $0.key, value: .string($0.value)) }))]))
        }
        documents.append(Self.document("VolumeConfig", [("name", .string("EPHEMERAL")), ("mount", .map([("secure", .bool(true))]))]))
        documents.append(Self.document("FilesystemTrimConfig", [("interval", .string("168h0m0s"))]))
        documents.append(Self.document("SecurityProfileConfig", [("workloadIsolation", .bool(true))]))
        documents += registryMirrorDocuments()
        documents.append(Self.document("HostnameConfig", [("auto", .string("stable"))]))
        documents.append(Self.document("KubeClusterConfig", [("clusterName", .string(options.clusterName)), ("endpoint", .string(options.endpoint))]))
        documents.append(Self.document("KubeNodeConfig", [
            ("nodeIP", .mapping([])),
            ("labels", controlPlane ? .map([
                ("node-role.kubernetes.io/control-plane", .string("")),
                ("node.kubernetes.io/exclude-from-external-load-balancers", .string("")),
            ]) : nil),
            ("taints", controlPlane && !options.allowSchedulingOnControlPlanes
                ? .map([("node-role.kubernetes.io/control-plane", .string("NoSchedule"))]) : nil),
        ]))
        documents.append(Self.document("KubeletConfig", [
            ("image", .string("ghcr.io/siderolabs/kubelet:v\(options.kubernetesVersion)")),
            ("config", .mapping([])),
            ("defaultRuntimeSeccompProfileEnabled", .bool(true)),
        ]))
        documents.append(Self.document("KubeNetworkConfig", [
            ("dnsDomain", .string(options.dnsDomain)),
            ("podSubnets", .strings(options.podSubnets)),
            ("serviceSubnets", .strings(options.serviceSubnets)),
        ]))
        let kubernetesCA = try Self.pem(secrets.kubernetes.crt, "the Kubernetes CA certificate")
        if controlPlane {
            documents.append(Self.document("KubeAPIServerCAConfig", [("issuingCA", try issuingCA(secrets.kubernetes, "Kubernetes"))]))
        } else {
            documents.append(Self.document("KubeAPIServerCAConfig", [("acceptedCAs", .strings([kubernetesCA]))]))
        }
        documents.append(Self.document("KubePrismConfig", [("port", .int(7445))]))
        guard controlPlane else { return documents }
        return documents + (try controlPlaneDocuments())
    }

    private func legacyDocument(for role: MachineRole) -> ConfigValue {
        let controlPlane = role == .controlplane
        return .map([
            ("version", .string("v1alpha1")),
            ("debug", .bool(false)),
            ("persist", .bool(true)),
            ("machine", .map([
                ("type", .string(role.rawValue)),
                ("token", .string(secrets.trustdToken)),
                ("ca", .map([("crt", .string(secrets.os.crt)), ("key", .string(controlPlane ? secrets.os.key : ""))])),
                ("certSANs", .strings(options.additionalSANs)),
                ("features", .map([("diskQuotaSupport", .bool(true))])),
            ])),
            ("cluster", .map([
                ("token", .string(secrets.bootstrapToken)),
                ("etcd", controlPlane ? .map([("ca", secrets.etcd.value)]) : nil),
            ])),
        ])
    }

    /// Install disk and image; absent when neither is set (as talosctl does without
    /// `--install-disk`/`--install-image`).
    private func unattendedInstall() -> ConfigValue? {
        guard options.installDisk != nil || options.installImage != nil else { return nil }
        return Self.document("UnattendedInstallConfig", [
            ("installer", .map([("image", options.installImage.map { .string($0) })])),
            ("provisioning", .map([
                ("diskSelector", options.installDisk.map { .map([("match", .string(Self.diskMatch($0)))]) }),
                ("wipe", .bool(false)),
            ])),
        ])
    }

    /// The CEL expression selecting an install disk by device path.
    static func diskMatch(_ disk: String) -> String {
        "disk.dev_path == \"\(disk)\""
    }

    private func controlPlaneDocuments() throws -> [ConfigValue] {
        let version = options.kubernetesVersion
        var documents: [ConfigValue] = [
            Self.document("KubeAggregatorCAConfig", [("issuingCA", try issuingCA(secrets.kubernetesAggregator, "Kubernetes aggregator"))]),
            Self.document("KubeAdmissionControlConfig", Self.podSecurityAdmission.entries?.map { ($0.key, $0.value as ConfigValue?) } ?? []),
            Self.document("KubeAuditPolicyConfig", [("configuration", Self.auditPolicy)]),
            Self.document("KubeAuthenticationConfig", [("configuration", .map([
                ("anonymous", .map([
                    ("conditions", .sequence(["/livez", "/readyz", "/healthz"].map { .map([("path", .string($0))]) })),
                    ("enabled", .bool(true)),
                ])),
                ("jwt", .sequence([])),
            ]))]),
            Self.document("KubeAuthorizerConfig", [("name", .string("node")), ("type", .string("Node"))]),
            Self.document("KubeAuthorizerConfig", [("name", .string("rbac")), ("type", .string("RBAC"))]),
            Self.document("KubeEtcdEncryptionConfig", [("config", .map([("resources", .sequence([.map([
                ("providers", .sequence([encryptionProvider()])),
                ("resources", .strings(["secrets"])),
            ])]))]))]),
            Self.document("KubeServiceAccountConfig", [("issuer", .map([
                ("privateKey", .string(try Self.pem(secrets.serviceAccountKey, "the service account key"))),
                ("issuerURL", .string(options.endpoint)),
            ]))]),
            Self.document("KubeAPIServerConfig", [
                ("image", .string("registry.k8s.io/kube-apiserver:v\(version)")),
                ("apiPort", options.localAPIServerPort.map { .int($0) }),
                ("certExtraSANs", options.additionalSANs.isEmpty ? nil : .strings(options.additionalSANs)),
            ]),
            Self.document("KubeControllerManagerConfig", [("image", .string("registry.k8s.io/kube-controller-manager:v\(version)"))]),
            Self.document("KubeSchedulerConfig", [("image", .string("registry.k8s.io/kube-scheduler:v\(version)")), ("config", .mapping([]))]),
            Self.document("KubeProxyConfig", [("image", .string("registry.k8s.io/kube-proxy:v\(version)")), ("config", .mapping([]))]),
        ]
        if options.customCNIURL == nil && !options.disableDefaultCNI {
            documents.append(Self.document("KubeFlannelCNIConfig", [("backendType", .string("vxlan")), ("backendPort", .int(4789))]))
        }
        documents.append(Self.document("KubeCoreDNSConfig", [("enabled", .bool(true))]))
        if let url = options.customCNIURL {
            documents.append(Self.document("KubeExternalManifestConfig", [("name", .string("custom-cni")), ("url", .string(url))]))
        }
        return documents
    }

    /// Talos names the secretbox key `key2` and the older AES-CBC key `key1`.
    private func encryptionProvider() -> ConfigValue {
        if let secret = secrets.secretboxEncryptionSecret {
            return .map([("secretbox", .map([("keys", .sequence([.map([("name", .string("key2")), ("secret", .string(secret))])]))]))])
        }
        return .map([("aescbc", .map([("keys", .sequence([.map([("name", .string("key1")), ("secret", .string(secrets.aescbcEncryptionSecret ?? ""))])]))]))])
    }

    private func issuingCA(_ pair: EncodedKeyPair, _ name: String) throws -> ConfigValue {
        .map([("cert", .string(try Self.pem(pair.crt, "the \(name) CA certificate"))),
              ("key", .string(try Self.pem(pair.key, "the \(name) CA key")))])
    }

    /// v1.14 documents carry PEM text, where v1alpha1 carries base64 of it.
    static func pem(_ encoded: String, _ what: String) throws -> String {
        guard let text = Base64PEM.decode(encoded) else {
            throw HomeportError("\(what) in the secrets bundle is not base64-encoded PEM")
        }
        return text
    }

    static func document(_ kind: String, _ fields: [(String, ConfigValue?)]) -> ConfigValue {
        .map([("apiVersion", .string("v1alpha1")), ("kind", .string(kind))] + fields)
    }

    func registryMirrorDocuments() -> [ConfigValue] {
        options.registryMirrors.map { mirror in
            Self.document("RegistryMirrorConfig", [
                ("name", .string(mirror.host)),
                ("endpoints", .sequence(mirror.endpoints.map { .map([("url", .string($0))]) })),
            ])
        }
    }
}
