/// One VM as the cluster definition wants it.
public struct VMSpec: Sendable, Hashable, Codable {
    public var name: String
    /// `controlplane` or `worker`; becomes a tag.
    public var role: String
    public var vmid: Int
    public var cores: Int
    public var memoryMiB: Int
    public var diskGiB: Int
    /// `BC:24:11:…`, the fixed MAC of `net0`.
    public var mac: String
    /// The planned IPv4 address (without prefix).
    public var address: String
    /// The Proxmox cluster member the VM goes to; nil means the input's `node`.
    public var proxmoxNode: String?
    /// A cluster PCI resource mapping (`/cluster/mapping/pci`) passed through as `hostpci0`.
    public var pciMapping: String?

    public init(name: String, role: String, vmid: Int, cores: Int, memoryMiB: Int, diskGiB: Int, mac: String, address: String,
                proxmoxNode: String? = nil, pciMapping: String? = nil) {
        self.name = name
        self.role = role
        self.vmid = vmid
        self.cores = cores
        self.memoryMiB = memoryMiB
        self.diskGiB = diskGiB
        self.mac = mac
        self.address = address
        self.proxmoxNode = proxmoxNode
        self.pciMapping = pciMapping
    }
}

/// The boot image every VM starts from: the Talos nocloud ISO of the cluster's schematic.
public struct BootImage: Sendable, Hashable, Codable {
    /// Where Proxmox downloads it from (Image Factory).
    public var url: String
    /// The file name on image storage, e.g. `talos-v1.13.9-ce4c9805-nocloud-amd64.iso`.
    public var filename: String

    public init(url: String, filename: String) {
        self.url = url
        self.filename = filename
    }
}

/// Everything the planner needs: where the VMs go, how they are networked, which VMs.
public struct ProxmoxPlanInput: Sendable, Hashable, Codable {
    public var clusterName: String
    public var node: String
    /// Storage for VM disks and the cloud-init drive.
    public var storage: String
    /// Storage for ISO images.
    public var imageStorage: String
    public var bridge: String
    /// Prefix length of the node network (24 for a /24).
    public var prefixLength: Int
    public var gateway: String
    public var nameservers: [String]
    public var image: BootImage
    public var vms: [VMSpec]
    /// The schematic's system extensions, when known: lets the plan warn about an Intel
    /// device passed through without `siderolabs/i915`.
    public var extensions: [String]?

    public init(clusterName: String, node: String, storage: String, imageStorage: String, bridge: String,
                prefixLength: Int, gateway: String, nameservers: [String], image: BootImage, vms: [VMSpec], extensions: [String]? = nil) {
        self.clusterName = clusterName
        self.node = node
        self.storage = storage
        self.imageStorage = imageStorage
        self.bridge = bridge
        self.prefixLength = prefixLength
        self.gateway = gateway
        self.nameservers = nameservers
        self.image = image
        self.vms = vms
        self.extensions = extensions
    }

    /// The tags that mark a VM as this cluster's: `homeport` and the cluster name.
    public var ownershipTags: Set<String> { ["homeport", clusterName.lowercased()] }

    /// The Proxmox node `spec`'s VM lives on.
    public func host(of spec: VMSpec) -> String {
        spec.proxmoxNode ?? node
    }

    /// Every node the plan touches: `node` first (it is read even when no VM names it), then
    /// the others in the order the VMs name them.
    public var hosts: [String] {
        var seen: Set<String> = [node]
        var ordered = [node]
        for spec in vms where seen.insert(host(of: spec)).inserted {
            ordered.append(host(of: spec))
        }
        return ordered
    }
}
