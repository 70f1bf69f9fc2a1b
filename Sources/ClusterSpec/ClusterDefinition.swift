import Manifests

/// The cluster definition (`config/clusters/NAME.yaml`): everything a human decides about one
/// cluster. Env files, Talos configs and the Proxmox VM plan derive from it. It never holds a
/// secret: the Proxmox token secret comes from `PROXMOX_TOKEN_SECRET` or `proxmox.tokenSecretFile`.
public struct ClusterDefinition: Sendable, Hashable {
    /// The cluster name, a DNS label; equals the file name.
    public var name: String
    /// The DNS domain of the cluster's services.
    public var domain: String
    public var proxmox: ProxmoxSettings
    public var network: NetworkPlan
    public var talos: TalosSettings
    public var nodes: [NodeDefinition]
    public var flux: FluxSettings
    /// The Synology NAS export, when the cluster uses one.
    public var nfs: NFSSettings?
    /// Where each value was written, for messages about it.
    public var marks: SourceMarks

    public init(name: String, domain: String, proxmox: ProxmoxSettings, network: NetworkPlan, talos: TalosSettings,
                nodes: [NodeDefinition], flux: FluxSettings, nfs: NFSSettings?, marks: SourceMarks = SourceMarks()) {
        self.name = name
        self.domain = domain
        self.proxmox = proxmox
        self.network = network
        self.talos = talos
        self.nodes = nodes
        self.flux = flux
        self.nfs = nfs
        self.marks = marks
    }

    /// Control-plane nodes, in file order.
    public var controlPlanes: [NodeDefinition] { nodes.filter { $0.role == .controlPlane } }

    /// Worker nodes, in file order.
    public var workers: [NodeDefinition] { nodes.filter { $0.role == .worker } }

    /// The Kubernetes API endpoint: the control-plane VIP on port 6443.
    public var controlPlaneEndpoint: String { "https://\(network.controlPlaneVIP):6443" }
}

/// Where the VMs live and how homeport reaches the Proxmox VE API.
public struct ProxmoxSettings: Sendable, Hashable {
    /// The API URL, e.g. `https://192.168.1.10:8006`.
    public var endpoint: String
    /// The Proxmox node VMs are placed on unless a node names another.
    public var node: String
    /// The API token id, `USER@REALM!TOKENNAME` (not secret; the token's secret is).
    public var tokenID: String
    /// A SOPS-encrypted file holding the token secret, relative to the repository.
    public var tokenSecretFile: String?
    /// The cluster's CA certificate (`pve-root-ca.pem`), relative to the repository.
    public var caFile: String?
    /// SHA-256 fingerprint of the API's TLS certificate, `AA:BB:…`.
    public var fingerprint: String?
    /// Storage for VM disks.
    public var storage: String
    /// Storage for ISO images.
    public var imageStorage: String
    /// The network bridge VMs attach to.
    public var bridge: String

    public init(endpoint: String, node: String, tokenID: String, tokenSecretFile: String? = nil, caFile: String? = nil,
                fingerprint: String? = nil, storage: String, imageStorage: String, bridge: String) {
        self.endpoint = endpoint
        self.node = node
        self.tokenID = tokenID
        self.tokenSecretFile = tokenSecretFile
        self.caFile = caFile
        self.fingerprint = fingerprint
        self.storage = storage
        self.imageStorage = imageStorage
        self.bridge = bridge
    }
}

/// The address plan.
public struct NetworkPlan: Sendable, Hashable {
    /// The LAN the nodes live on.
    public var nodeCIDR: IPv4Network
    public var gateway: IPv4Address
    public var dnsServers: [IPv4Address]
    /// The shared address of the Kubernetes API, held by one control plane at a time.
    public var controlPlaneVIP: IPv4Address
    public var podCIDR: IPv4Network
    public var serviceCIDR: IPv4Network
    /// Addresses handed to LoadBalancer Services (Gateways).
    public var loadBalancerPool: IPv4Range?
    /// The LAN's DHCP range, so static addresses can stay out of it.
    public var dhcpRange: IPv4Range?

    public init(nodeCIDR: IPv4Network, gateway: IPv4Address, dnsServers: [IPv4Address], controlPlaneVIP: IPv4Address,
                podCIDR: IPv4Network, serviceCIDR: IPv4Network, loadBalancerPool: IPv4Range? = nil, dhcpRange: IPv4Range? = nil) {
        self.nodeCIDR = nodeCIDR
        self.gateway = gateway
        self.dnsServers = dnsServers
        self.controlPlaneVIP = controlPlaneVIP
        self.podCIDR = podCIDR
        self.serviceCIDR = serviceCIDR
        self.loadBalancerPool = loadBalancerPool
        self.dhcpRange = dhcpRange
    }
}

/// Talos and Kubernetes versions and the machine options every node shares.
public struct TalosSettings: Sendable, Hashable {
    public var version: SemanticVersion
    public var kubernetesVersion: SemanticVersion
    /// Image Factory system extensions, e.g. `siderolabs/qemu-guest-agent`.
    public var extensions: [String]
    /// The disk Talos installs to, e.g. `/dev/sda`.
    public var installDisk: String
    /// Whether control planes also run workloads (a one-box cluster needs it).
    public var allowSchedulingOnControlPlanes: Bool

    public init(version: SemanticVersion, kubernetesVersion: SemanticVersion, extensions: [String] = [],
                installDisk: String, allowSchedulingOnControlPlanes: Bool = false) {
        self.version = version
        self.kubernetesVersion = kubernetesVersion
        self.extensions = extensions
        self.installDisk = installDisk
        self.allowSchedulingOnControlPlanes = allowSchedulingOnControlPlanes
    }
}

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

/// The Git repository Flux syncs.
public struct FluxSettings: Sendable, Hashable {
    public var repository: String
    public var branch: String
    /// The folder Flux reconciles, relative to the repository root.
    public var path: String

    public init(repository: String, branch: String, path: String) {
        self.repository = repository
        self.branch = branch
        self.path = path
    }
}

/// The NFS export (Synology NAS) the cluster's storage uses.
public struct NFSSettings: Sendable, Hashable {
    /// An IPv4 address or a host name.
    public var server: String
    /// The absolute export path, e.g. `/volume1/k8s`.
    public var path: String
    /// The NFS protocol version, e.g. `4.1`.
    public var version: String?
    public var mountOptions: [String]

    public init(server: String, path: String, version: String? = nil, mountOptions: [String] = []) {
        self.server = server
        self.path = path
        self.version = version
        self.mountOptions = mountOptions
    }
}

/// The marks of values in the cluster definition file, by key path (`network.gateway`,
/// `nodes[1].mac`, `network.dnsServers[0]`). Marks say where a value was written, not what
/// the cluster is, so they never make two definitions unequal: all marks compare equal.
public struct SourceMarks: Sendable, Hashable {
    public static func == (lhs: SourceMarks, rhs: SourceMarks) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}

    var values: [String: Mark] = [:]
    var keys: [String: Mark] = [:]

    public init() {}

    /// Where the value at `path` was written; falls back to the nearest enclosing value.
    public func value(_ path: String) -> Mark? {
        var current = path
        while true {
            if let mark = values[current] { return mark }
            guard let parent = Self.parent(of: current) else { return nil }
            current = parent
        }
    }

    /// Where the key of `path` was written (falls back like ``value(_:)``).
    public func key(_ path: String) -> Mark? {
        keys[path] ?? value(path)
    }

    mutating func record(value mark: Mark, at path: String) {
        values[path] = mark
    }

    mutating func record(key mark: Mark, at path: String) {
        keys[path] = mark
    }

    static func parent(of path: String) -> String? {
        guard let index = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return path.isEmpty ? nil : "" }
        return String(path[..<index])
    }
}
