import ClusterSpec
import HomeportCore

extension ClusterFacts {
    /// The facts of a validated cluster definition.
    public init(_ definition: ClusterDefinition) throws {
        let proxmox = definition.proxmox
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        for node in definition.nodes {
            if let other = node.proxmoxNode, other != proxmox.node {
                throw HomeportError.usage("node \(node.name) asks for Proxmox node \(other); homeport up places every VM on proxmox.node (\(proxmox.node)) for now")
            }
        }
        self.init(
            name: definition.name,
            proxmox: ProxmoxFacts(endpoint: proxmox.endpoint, node: proxmox.node, tokenID: proxmox.tokenID,
                                  tokenSecretFile: nonEmpty(proxmox.tokenSecretFile), caFile: nonEmpty(proxmox.caFile),
                                  fingerprint: nonEmpty(proxmox.fingerprint), storage: proxmox.storage,
                                  imageStorage: proxmox.imageStorage, bridge: proxmox.bridge),
            prefixLength: definition.network.nodeCIDR.prefixLength,
            gateway: definition.network.gateway.description,
            dnsServers: definition.network.dnsServers.map(\.description),
            controlPlaneVIP: definition.network.controlPlaneVIP.description,
            talosVersion: definition.talos.version.description,
            kubernetesVersion: definition.talos.kubernetesVersion.description,
            extensions: definition.talos.extensions,
            installDisk: definition.talos.installDisk,
            nodes: definition.nodes.map { node in
                Node(name: node.name, role: node.role.rawValue, address: node.address.description, vmid: node.vmid,
                     cores: node.cores, memoryMiB: node.memoryMiB, diskGiB: node.diskGiB, mac: node.mac.description)
            },
            fluxRepository: definition.flux.repository,
            fluxBranch: definition.flux.branch,
            fluxPath: definition.flux.path)
    }

    /// Loads, validates and adapts `config/clusters/NAME.yaml` (`--cluster`; default: the only one).
    public static func load(repoRoot: String, cluster: String?) throws -> ClusterFacts {
        let loaded = try ClusterWorkspace(root: repoRoot).load(named: cluster)
        return try ClusterFacts(try loaded.validDefinition())
    }
}
