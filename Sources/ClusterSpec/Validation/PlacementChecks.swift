import Foundation

/// Checks of where the VMs go: not on the Proxmox host's own address, control planes spread
/// so that one host going down keeps etcd's quorum, and what a PCI passthrough needs.
extension ClusterDefinitionValidator {
    /// The Talos system extension that carries the Intel GPU driver (`/dev/dri` for an iGPU).
    static let intelGPUExtension = "siderolabs/i915"

    /// The Proxmox node a draft node's VM goes to.
    func host(of node: DraftNode) -> String? {
        node.proxmoxNode ?? draft.proxmox.node
    }

    /// A node or the VIP on the Proxmox host's address takes the host off the network (the
    /// predecessor of this repository made exactly this mistake). The endpoint is compared
    /// literally: a host name is not resolved while validating.
    mutating func checkProxmoxHostAddress() {
        guard let endpoint = draft.proxmox.endpoint, let hostAddress = Self.literalAddress(ofEndpoint: endpoint) else { return }
        for node in draft.nodes where node.address == hostAddress {
            report("\(node.label).address \(hostAddress) is the Proxmox host's address (proxmox.endpoint \(endpoint)); give the VM an address of its own", at: "\(node.path).address")
        }
        if draft.network.controlPlaneVIP == hostAddress {
            report("network.controlPlaneVIP \(hostAddress) is the Proxmox host's address (proxmox.endpoint \(endpoint)); the VIP must be a free address", at: "network.controlPlaneVIP")
        }
    }

    /// The IPv4 address written in an endpoint URL, or nil when it names a host.
    static func literalAddress(ofEndpoint endpoint: String) -> IPv4Address? {
        URLComponents(string: endpoint)?.host.flatMap(IPv4Address.init)
    }

    /// etcd stays writable while a majority of control planes run. When the VMs are spread
    /// over several Proxmox hosts, a host holding that majority stops the cluster when it goes
    /// down, and an even number of control planes tolerates no more failures than one fewer.
    mutating func checkControlPlaneSpread() {
        let controlPlanes = draft.nodes.filter { $0.role == .controlPlane }
        let hosts = Set(draft.nodes.compactMap { host(of: $0) })
        guard controlPlanes.count >= 2, hosts.count > 1 else { return }
        let quorum = controlPlanes.count / 2 + 1
        var byHost: [String: [DraftNode]] = [:]
        for node in controlPlanes {
            guard let host = host(of: node) else { continue }
            byHost[host, default: []].append(node)
        }
        for host in byHost.keys.sorted() {
            guard let members = byHost[host], members.count >= quorum, let last = members.last else { continue }
            let names = members.map(\.label).joined(separator: ", ")
            warn("\(members.count) of \(controlPlanes.count) control planes (\(names)) run on Proxmox node \(host); if \(host) goes down etcd loses quorum and the Kubernetes API behind the VIP stops: put the control planes on different hosts", at: placementPath(of: last))
        }
        if controlPlanes.count.isMultiple(of: 2), let last = controlPlanes.last {
            warn("\(controlPlanes.count) control planes: etcd needs \(quorum) of them, so they survive no more host failures than \(controlPlanes.count - 1) would; use an odd number (3 across 3 hosts)", at: placementPath(of: last))
        }
    }

    /// A passed-through Intel iGPU is useless to Talos without the i915 extension. The
    /// definition cannot tell an iGPU from another PCI device (the mapping lives in Proxmox),
    /// so this is a warning, not an error.
    mutating func checkPassthroughExtensions() {
        let extensions = draft.talos.extensions ?? []
        guard !extensions.contains(where: { $0.hasPrefix(Self.intelGPUExtension) }) else { return }
        for node in draft.nodes {
            guard let mapping = node.pciMapping else { continue }
            warn("\(node.label).pciMapping \(mapping) passes a PCI device through, but talos.extensions lacks \(Self.intelGPUExtension); an Intel iGPU needs it for /dev/dri (ignore this for other devices)", at: "\(node.path).pciMapping")
        }
    }

    private func placementPath(of node: DraftNode) -> String {
        node.proxmoxNode == nil ? node.path : "\(node.path).proxmoxNode"
    }
}
