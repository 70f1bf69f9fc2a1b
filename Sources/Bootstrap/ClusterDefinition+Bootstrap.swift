import ClusterSpec
import Foundation
import HomeportCore
import Proxmox
import Talos

extension ClusterDefinition {
    /// Loads and validates `config/clusters/NAME.yaml` (`--cluster`; default: the only one).
    public static func loadValid(repoRoot: String, cluster: String?) throws -> ClusterDefinition {
        try ClusterWorkspace(root: repoRoot).load(named: cluster).validDefinition()
    }

    /// The Talos inputs of this cluster: the same value `homeport talos gen` renders from.
    public var talosInput: TalosGenerationInput { TalosGenerationInput(definition: self) }

    /// The first control plane: the target of bootstrap, kubeconfig and health.
    public var firstControlPlane: NodeDefinition? { controlPlanes.first }

    /// The Proxmox plan for this cluster, booting the nocloud ISO of the Talos module's
    /// schematic, so the VMs boot the image whose installer the machine configs name.
    public func proxmoxPlanInput() throws -> ProxmoxPlanInput {
        let input = talosInput
        let schematic = try input.schematic
        let version = talos.version.description
        return ProxmoxPlanInput(
            clusterName: name, node: proxmox.node, storage: proxmox.storage, imageStorage: proxmox.imageStorage,
            bridge: proxmox.bridge, prefixLength: network.nodeCIDR.prefixLength, gateway: network.gateway.description,
            nameservers: network.dnsServers.map(\.description),
            image: BootImage(url: schematic.imageURL(talosVersion: version),
                             filename: "talos-\(version)-\(schematic.id.prefix(12))-nocloud-amd64.iso"),
            vms: nodes.map { node in
                VMSpec(name: node.name, role: node.role.rawValue, vmid: node.vmid, cores: node.cores, memoryMiB: node.memoryMiB,
                       diskGiB: node.diskGiB, mac: node.mac.description, address: node.address.description,
                       proxmoxNode: node.proxmoxNode, pciMapping: node.pciMapping)
            },
            extensions: input.extensions)
    }

    /// The DHCP range, so a diagnosis can say a VM took a leased address.
    public var dhcpBounds: (first: String, last: String)? {
        network.dhcpRange.map { ($0.first.description, $0.last.description) }
    }

    /// The Proxmox connection with `secret`, or nil without a secret.
    public func proxmoxConnection(repoRoot: String, secret: String?, timing: ProxmoxTiming = .standard) throws -> ProxmoxConnection? {
        guard let secret else { return nil }
        guard let url = URL(string: proxmox.endpoint) else {
            throw HomeportError.usage("proxmox.endpoint is not a URL: \(proxmox.endpoint)")
        }
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        let trust: ProxmoxTrust
        if let fingerprint = nonEmpty(proxmox.fingerprint) {
            trust = .fingerprint(fingerprint)
        } else if let caFile = nonEmpty(proxmox.caFile) {
            trust = .caFile(caFile.hasPrefix("/") ? caFile : "\(repoRoot)/\(caFile)")
        } else {
            trust = .systemStore
        }
        let connection = ProxmoxConnection(endpoint: url, tokenID: proxmox.tokenID, tokenSecret: secret, trust: trust, timing: timing)
        do { try connection.validate() } catch { throw HomeportError.usage("\(error)") }
        return connection
    }
}

extension NodeDefinition {
    public var isControlPlane: Bool { role == .controlPlane }
    /// The planned address as text.
    public var addressText: String { address.description }
}
