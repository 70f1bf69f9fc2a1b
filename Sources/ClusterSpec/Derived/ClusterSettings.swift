/// The `cluster-settings` ConfigMap: the cluster definition's non-secret values for Flux's
/// `postBuild.substituteFrom`, so manifests say `${NFS_SERVER}` instead of repeating an address
/// that the definition already decides. Same keys as the env file, minus the Proxmox ones the
/// cluster never needs.
public enum ClusterSettings {
    public static let fileName = "cluster-settings.yaml"
    public static let configMapName = "cluster-settings"
    public static let namespace = "flux-system"

    /// Beside the Flux entrypoint: `<flux.path>/cluster-settings.yaml`.
    public static func path(for definition: ClusterDefinition) -> String {
        let folder = definition.flux.path.hasSuffix("/") ? String(definition.flux.path.dropLast()) : definition.flux.path
        return "\(folder)/\(fileName)"
    }

    /// The variables: the env file's (without Proxmox), then the addresses the platform pins
    /// to Services (the first three of the LoadBalancer pool: internal Gateway, external
    /// Gateway, split DNS) and the NFS mount options.
    public static func variables(_ definition: ClusterDefinition) -> [(key: String, value: String)] {
        var variables = EnvFile.groups(definition)
            .flatMap(\.variables)
            .filter { !$0.key.hasPrefix("PROXMOX_") }
        let pool = definition.network.loadBalancerPool
        for (offset, key) in ["LB_GATEWAY_INTERNAL_IP", "LB_GATEWAY_EXTERNAL_IP", "LB_DNS_IP"].enumerated() {
            variables.append((key, address(in: pool, at: offset)))
        }
        variables.append(("NFS_MOUNT_OPTIONS", definition.nfs?.mountOptions.joined(separator: ",") ?? ""))
        if let alerts = definition.alerts { variables += alertVariables(alerts) }
        return variables
    }

    /// Alertmanager's route and receivers read these. Alertmanager validates every receiver it
    /// is given, so the e-mail fields get inert `.invalid` values when e-mail is not the receiver.
    static func alertVariables(_ alerts: AlertSettings) -> [(key: String, value: String)] {
        let email = alerts.email ?? EmailSettings(to: "unused@example.invalid", from: "unused@example.invalid", smarthost: "smtp.example.invalid:587")
        return [
            ("ALERTS_RECEIVER", alerts.receiver.rawValue),
            // Without a heartbeat service the Watchdog still needs a valid URL; it goes nowhere.
            ("ALERTS_HEARTBEAT_URL", alerts.heartbeatURL ?? "https://heartbeat.example.invalid/"),
            ("ALERTS_EMAIL_TO", email.to),
            ("ALERTS_EMAIL_FROM", email.from),
            ("ALERTS_EMAIL_SMARTHOST", email.smarthost),
        ]
    }

    /// The pool's address at `offset`, or empty when the pool is missing or too small.
    static func address(in pool: IPv4Range?, at offset: Int) -> String {
        guard let pool, UInt64(offset) < pool.count else { return "" }
        return IPv4Address(pool.first.value + UInt32(offset)).description
    }

    /// The whole file.
    public static func render(_ definition: ClusterDefinition, definitionPath: String? = nil) -> String {
        let source = definitionPath ?? "\(ClusterDefinitionLoader.folder)/\(definition.name).yaml"
        var text = """
        # generated from \(source) by `homeport cluster settings --write`; do not edit
        # Flux substitutes these values into manifests (postBuild.substituteFrom: cluster-settings).
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \(configMapName)
          namespace: \(namespace)
        data:

        """
        for variable in variables(definition) {
            text += "  \(variable.key): \(quoted(variable.value))\n"
        }
        return text
    }

    /// A double-quoted YAML string, so every value stays a string (ConfigMap data must be).
    static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
