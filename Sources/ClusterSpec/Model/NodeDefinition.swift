/// What a node does in the cluster.
public enum NodeRole: String, Sendable, Hashable, CaseIterable {
    case controlPlane = "controlplane"
    case worker
}

/// One Talos node and its Proxmox VM.
public struct NodeDefinition: Sendable, Hashable {
    /// The hostname and VM name, a DNS label.
    public var name: String
    public var role: NodeRole
    public var address: IPv4Address
    public var vmid: Int
    public var cores: Int
    public var memoryMiB: Int
    public var diskGiB: Int
    public var mac: MACAddress
    /// The Proxmox cluster member to place the VM on; nil means `proxmox.node`.
    public var proxmoxNode: String?
    /// A Proxmox PCI resource mapping to pass through (e.g. the iGPU).
    public var pciMapping: String?

    public init(name: String, role: NodeRole, address: IPv4Address, vmid: Int, cores: Int, memoryMiB: Int,
                diskGiB: Int, mac: MACAddress, proxmoxNode: String? = nil, pciMapping: String? = nil) {
        self.name = name
        self.role = role
        self.address = address
        self.vmid = vmid
        self.cores = cores
        self.memoryMiB = memoryMiB
        self.diskGiB = diskGiB
        self.mac = mac
        self.proxmoxNode = proxmoxNode
        self.pciMapping = pciMapping
    }
}
