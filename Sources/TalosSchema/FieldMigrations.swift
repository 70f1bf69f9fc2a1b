/// Where the fields a release dropped from the v1alpha1 config went. *Which* fields moved is
/// read from the schemas (a field an older release has and the target lacks); *where* is
/// derived from document names (`machine.kubelet` → `KubeletConfig`, `cluster.proxy` →
/// `KubeProxyConfig`) except for the fields below, whose new document names cannot be
/// guessed from the old field name.
public enum FieldMigrations {
    /// v1alpha1 field path → the documents that replace it; the longest matching prefix wins.
    static let replacementNames: [String: [String]] = [
        "machine.network": ["HostnameConfig", "LinkConfig", "LinkAliasConfig", "DHCPv4Config", "Layer2VIPConfig", "ResolverConfig"],
        "machine.network.kubespan": ["KubeSpanConfig"],
        "machine.time": ["TimeSyncConfig"],
        "machine.registries": ["RegistryMirrorConfig", "RegistryAuthConfig", "RegistryTLSConfig"],
        "machine.env": ["EnvironmentConfig"],
        "machine.install": ["UnattendedInstallConfig"],
        "machine.kubelet.nodeIP": ["KubeNodeConfig"],
        "machine.kubelet.registerWithFQDN": ["KubeNodeConfig"],
        "machine.kubelet.skipNodeRegistration": ["KubeNodeConfig"],
        "machine.kubelet.extraMounts": ["UserVolumeConfig", "ExistingVolumeConfig"],
        "machine.nodeLabels": ["KubeNodeConfig"],
        "machine.nodeAnnotations": ["KubeNodeConfig"],
        "machine.nodeTaints": ["KubeNodeConfig"],
        "machine.pods": ["KubeStaticPodConfig"],
        "machine.sysctls": ["SysctlConfig"],
        "machine.files": ["EtcFileConfig"],
        "machine.baseRuntimeSpecOverrides": ["CRIBaseRuntimeSpecConfig"],
        "machine.controlPlane": ["KubeControllerManagerConfig", "KubeSchedulerConfig"],
        "machine.features.hostDNS": ["ResolverConfig"],
        "machine.features.kubernetesTalosAPIAccess": ["KubeTalosAPIAccessConfig"],
        "cluster.id": ["DiscoveryIdentityConfig"],
        "cluster.secret": ["DiscoveryIdentityConfig"],
        "cluster.discovery": ["DiscoveryServiceConfig"],
        "cluster.clusterName": ["KubeClusterConfig"],
        "cluster.controlPlane": ["KubeClusterConfig"],
        "cluster.controlPlane.localAPIServerPort": ["KubeAPIServerConfig"],
        "cluster.network.cni": ["KubeFlannelCNIConfig", "KubeExternalManifestConfig"],
        "cluster.ca": ["KubeAPIServerCAConfig"],
        "cluster.acceptedCAs": ["KubeAPIServerCAConfig"],
        "cluster.aescbcEncryptionSecret": ["KubeEtcdEncryptionConfig"],
        "cluster.secretboxEncryptionSecret": ["KubeEtcdEncryptionConfig"],
        "cluster.allowSchedulingOnControlPlanes": ["KubeNodeConfig"],
        "cluster.apiServer.admissionControl": ["KubeAdmissionControlConfig"],
        "cluster.apiServer.auditPolicy": ["KubeAuditPolicyConfig"],
        "cluster.extraManifests": ["KubeExternalManifestConfig"],
        "cluster.extraManifestHeaders": ["KubeExternalManifestConfig"],
        "cluster.inlineManifests": ["KubeInlineManifestConfig"],
    ]

    /// The documents of `schema`'s release that replace a v1alpha1 field it no longer has;
    /// empty when none can be named.
    public static func replacements(for path: [String], in schema: TalosConfigSchema) -> [String] {
        let kinds = Set(schema.kinds)
        for length in stride(from: path.count, through: 1, by: -1) {
            if let names = replacementNames[path.prefix(length).joined(separator: ".")] {
                let known = names.filter(kinds.contains)
                if !known.isEmpty { return known }
            }
        }
        // `kubelet` → KubeletConfig, `apiServer` → KubeAPIServerConfig: the deepest segment
        // that names a document wins.
        for segment in path.reversed() {
            let wanted = [segment.lowercased() + "config", "kube" + segment.lowercased() + "config"]
            if let kind = kinds.sorted().first(where: { wanted.contains($0.lowercased()) }) { return [kind] }
        }
        return []
    }
}
