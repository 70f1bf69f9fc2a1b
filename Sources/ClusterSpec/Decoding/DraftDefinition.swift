/// Every value of a cluster definition that could be read, each optional, so cross-field
/// checks can run on what is usable even when other values are wrong.
struct DraftDefinition {
    var name: String?
    var domain: String?
    var proxmox = DraftProxmox()
    var network = DraftNetwork()
    var talos = DraftTalos()
    /// False when `nodes` is absent or not a list (already reported).
    var hasNodeList = false
    var nodes: [DraftNode] = []
    var flux = DraftFlux()
    var nfs: DraftNFS?
    var alerts: DraftAlerts?
}

struct DraftProxmox {
    var endpoint: String?
    var node: String?
    var tokenID: String?
    var tokenSecretFile: String?
    var caFile: String?
    var fingerprint: String?
    var storage: String?
    var imageStorage: String?
    var bridge: String?
}

struct DraftNetwork {
    var nodeCIDR: IPv4Network?
    var gateway: IPv4Address?
    var dnsServers: [IPv4Address]?
    var controlPlaneVIP: IPv4Address?
    var podCIDR: IPv4Network?
    var serviceCIDR: IPv4Network?
    var loadBalancerPool: IPv4Range?
    var dhcpRange: IPv4Range?
}

struct DraftTalos {
    var version: SemanticVersion?
    var kubernetesVersion: SemanticVersion?
    var extensions: [String]?
    var installDisk: String?
    var allowSchedulingOnControlPlanes: Bool?
}

struct DraftNode {
    /// The key path, `nodes[INDEX]`.
    var path: String
    var name: String?
    var role: NodeRole?
    var address: IPv4Address?
    var vmid: Int?
    var cores: Int?
    var memoryMiB: Int?
    var diskGiB: Int?
    var mac: MACAddress?
    var proxmoxNode: String?
    var pciMapping: String?

    /// The node, when every required value is usable.
    var node: NodeDefinition? {
        guard let name, let role, let address, let vmid, let cores, let memoryMiB, let diskGiB, let mac else { return nil }
        return NodeDefinition(name: name, role: role, address: address, vmid: vmid, cores: cores, memoryMiB: memoryMiB,
                              diskGiB: diskGiB, mac: mac, proxmoxNode: proxmoxNode, pciMapping: pciMapping)
    }

    /// How messages name the node: `nodes[1] (talos-w-1)`.
    var label: String {
        name.map { "\(path) (\($0))" } ?? path
    }
}

struct DraftFlux {
    var repository: String?
    var branch: String?
    var path: String?
}

struct DraftAlerts {
    var receiver: AlertSettings.Receiver?
    var heartbeatURL: String?
    var email: DraftEmail?
}

struct DraftEmail {
    var to: String?
    var from: String?
    var smarthost: String?
}

struct DraftNFS {
    var server: String?
    var path: String?
    var version: String?
    var mountOptions: [String]?
}

extension DraftDefinition {
    /// The definition, when every required value is usable.
    func build(marks: SourceMarks) -> ClusterDefinition? {
        guard let name, let domain,
              let endpoint = proxmox.endpoint, let proxmoxNode = proxmox.node, let tokenID = proxmox.tokenID,
              let storage = proxmox.storage, let imageStorage = proxmox.imageStorage, let bridge = proxmox.bridge,
              let nodeCIDR = network.nodeCIDR, let gateway = network.gateway, let dnsServers = network.dnsServers,
              let vip = network.controlPlaneVIP, let podCIDR = network.podCIDR, let serviceCIDR = network.serviceCIDR,
              let talosVersion = talos.version, let kubernetesVersion = talos.kubernetesVersion, let installDisk = talos.installDisk,
              let repository = flux.repository, let branch = flux.branch, let fluxPath = flux.path,
              hasNodeList
        else { return nil }
        let builtNodes = nodes.compactMap(\.node)
        guard builtNodes.count == nodes.count else { return nil }
        var builtNFS: NFSSettings?
        if let nfs {
            guard let server = nfs.server, let path = nfs.path else { return nil }
            builtNFS = NFSSettings(server: server, path: path, version: nfs.version, mountOptions: nfs.mountOptions ?? [])
        }
        var builtAlerts: AlertSettings?
        if let alerts {
            guard let receiver = alerts.receiver else { return nil }
            var email: EmailSettings?
            if let draft = alerts.email {
                guard let to = draft.to, let from = draft.from, let smarthost = draft.smarthost else { return nil }
                email = EmailSettings(to: to, from: from, smarthost: smarthost)
            }
            guard receiver != .email || email != nil else { return nil }
            builtAlerts = AlertSettings(receiver: receiver, heartbeatURL: alerts.heartbeatURL, email: email)
        }
        return ClusterDefinition(
            name: name, domain: domain,
            proxmox: ProxmoxSettings(endpoint: endpoint, node: proxmoxNode, tokenID: tokenID, tokenSecretFile: proxmox.tokenSecretFile,
                                     caFile: proxmox.caFile, fingerprint: proxmox.fingerprint, storage: storage,
                                     imageStorage: imageStorage, bridge: bridge),
            network: NetworkPlan(nodeCIDR: nodeCIDR, gateway: gateway, dnsServers: dnsServers, controlPlaneVIP: vip,
                                 podCIDR: podCIDR, serviceCIDR: serviceCIDR, loadBalancerPool: network.loadBalancerPool,
                                 dhcpRange: network.dhcpRange),
            talos: TalosSettings(version: talosVersion, kubernetesVersion: kubernetesVersion, extensions: talos.extensions ?? [],
                                 installDisk: installDisk, allowSchedulingOnControlPlanes: talos.allowSchedulingOnControlPlanes ?? false),
            nodes: builtNodes,
            flux: FluxSettings(repository: repository, branch: branch, path: fluxPath),
            nfs: builtNFS, alerts: builtAlerts, marks: marks)
    }
}
