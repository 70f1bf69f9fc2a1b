import Foundation

/// `config/env/NAME.env`: the cluster definition as `KEY=value` lines for scripts and local
/// tooling. Derived, never edited: `homeport cluster env --write` writes it and
/// `config.env-drift` reports when it no longer matches. It holds no secrets.
public enum EnvFile {
    /// The folder holding env files, relative to the repository root.
    public static let folder = "config/env"

    /// `config/env/NAME.env` for a cluster name.
    public static func path(forCluster name: String) -> String {
        "\(folder)/\(name).env"
    }

    /// The variables, grouped, in the order they are written. The Talos and Kubernetes versions
    /// are not among them: Renovate bumps them in the definition, nothing in the repository
    /// substitutes them, and a derived copy would turn every such pull request red for drift.
    public static func groups(_ definition: ClusterDefinition) -> [(title: String, variables: [(key: String, value: String)])] {
        let network = definition.network
        let nfs = definition.nfs
        return [
            ("cluster", [
                ("CLUSTER_NAME", definition.name),
                ("CLUSTER_DOMAIN", definition.domain),
                ("CTRL_IP", definition.controlPlanes.first.map { "\($0.address)" } ?? ""),
                ("CTRL_IPS", list(definition.controlPlanes.map(\.address))),
                ("CONTROL_PLANE_VIP", "\(network.controlPlaneVIP)"),
                ("CONTROL_PLANE_ENDPOINT", definition.controlPlaneEndpoint),
                ("WORKER_IPS", list(definition.workers.map(\.address))),
            ]),
            ("network", [
                ("NODE_CIDR", "\(network.nodeCIDR)"),
                ("GATEWAY", "\(network.gateway)"),
                ("DNS_SERVERS", list(network.dnsServers)),
                ("POD_CIDR", "\(network.podCIDR)"),
                ("SERVICE_CIDR", "\(network.serviceCIDR)"),
                ("LB_POOL", network.loadBalancerPool.map { "\($0)" } ?? ""),
            ]),
            ("proxmox (the token secret is not here: PROXMOX_TOKEN_SECRET or proxmox.tokenSecretFile)", [
                ("PROXMOX_ENDPOINT", definition.proxmox.endpoint),
                ("PROXMOX_NODE", definition.proxmox.node),
                ("PROXMOX_TOKEN_ID", definition.proxmox.tokenID),
                ("PROXMOX_STORAGE", definition.proxmox.storage),
                ("PROXMOX_IMAGE_STORAGE", definition.proxmox.imageStorage),
                ("PROXMOX_BRIDGE", definition.proxmox.bridge),
            ]),
            ("flux", [
                ("FLUX_REPO_URL", definition.flux.repository),
                ("FLUX_BRANCH", definition.flux.branch),
                ("FLUX_PATH", definition.flux.path),
            ]),
            ("nfs", [
                ("NFS_SERVER", nfs?.server ?? ""),
                ("NFS_PATH", nfs?.path ?? ""),
                ("NFS_VERSION", nfs?.version ?? ""),
            ]),
        ]
    }

    /// The whole file. `definitionPath` is the file the definition was read from, for the
    /// header (by default `config/clusters/NAME.yaml`).
    public static func render(_ definition: ClusterDefinition, definitionPath: String? = nil) -> String {
        let source = definitionPath ?? "\(ClusterDefinitionLoader.folder)/\(definition.name).yaml"
        var text = "# generated from \(source) by `homeport cluster env --write`; do not edit\n"
        for group in groups(definition) {
            text += "\n# \(group.title)\n"
            for variable in group.variables {
                text += "\(variable.key)=\(quote(variable.value))\n"
            }
        }
        return text
    }

    /// The value as written after `=`: bare when every character is safe for POSIX shells,
    /// dotenv readers and Compose alike, otherwise in single quotes (`'` itself as `'\''`).
    public static func quote(_ value: String) -> String {
        let needsQuotes = value.unicodeScalars.contains { scalar in
            !(scalar.isASCII && (CharacterSetLike.isSafe(scalar)))
        }
        guard needsQuotes else { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The 1-based line where `actual` first differs from `expected`, or nil when they are equal.
    public static func firstDifference(expected: String, actual: String) -> Int? {
        guard expected != actual else { return nil }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let want = index < expectedLines.count ? expectedLines[index] : nil
            let have = index < actualLines.count ? actualLines[index].trimmingCarriageReturn : nil
            if want != have { return min(index + 1, max(1, actualLines.count)) }
        }
        // Only line endings differ (CRLF): point at the first line.
        return 1
    }

    /// The expected text of line `line` (1-based), for drift messages.
    public static func line(_ line: Int, of text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return line >= 1 && line <= lines.count ? String(lines[line - 1]) : nil
    }

    private static func list(_ addresses: [IPv4Address]) -> String {
        addresses.map(\.description).joined(separator: ",")
    }
}

/// Characters that need no quoting in an env file value.
enum CharacterSetLike {
    static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case "_", ".", "/", ":", ",", "@", "%", "+", "-", "=": return true
        default: return false
        }
    }
}

extension Substring {
    var trimmingCarriageReturn: Substring {
        last == "\r" ? dropLast() : self
    }
}
