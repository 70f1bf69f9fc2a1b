import Proxmox

/// What `homeport up` needs from the cluster definition, in plain values. The CLI fills it
/// from `ClusterDefinition`; tests build it directly.
public struct ClusterFacts: Sendable, Hashable {
    public struct ProxmoxFacts: Sendable, Hashable {
        public var endpoint: String
        public var node: String
        public var tokenID: String
        public var tokenSecretFile: String?
        public var caFile: String?
        public var fingerprint: String?
        public var storage: String
        public var imageStorage: String
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

    public struct Node: Sendable, Hashable {
        public var name: String
        /// `controlplane` or `worker`.
        public var role: String
        public var address: String
        public var vmid: Int
        public var cores: Int
        public var memoryMiB: Int
        public var diskGiB: Int
        public var mac: String

        public init(name: String, role: String, address: String, vmid: Int, cores: Int, memoryMiB: Int, diskGiB: Int, mac: String) {
            self.name = name
            self.role = role
            self.address = address
            self.vmid = vmid
            self.cores = cores
            self.memoryMiB = memoryMiB
            self.diskGiB = diskGiB
            self.mac = mac
        }

        public var isControlPlane: Bool { role == "controlplane" }
    }

    public var name: String
    public var proxmox: ProxmoxFacts
    public var prefixLength: Int
    public var gateway: String
    public var dnsServers: [String]
    public var controlPlaneVIP: String
    public var talosVersion: String
    public var kubernetesVersion: String
    public var extensions: [String]
    public var installDisk: String
    public var nodes: [Node]
    public var fluxRepository: String
    public var fluxBranch: String
    public var fluxPath: String

    public init(name: String, proxmox: ProxmoxFacts, prefixLength: Int, gateway: String, dnsServers: [String],
                controlPlaneVIP: String, talosVersion: String, kubernetesVersion: String, extensions: [String],
                installDisk: String, nodes: [Node], fluxRepository: String, fluxBranch: String, fluxPath: String) {
        self.name = name
        self.proxmox = proxmox
        self.prefixLength = prefixLength
        self.gateway = gateway
        self.dnsServers = dnsServers
        self.controlPlaneVIP = controlPlaneVIP
        self.talosVersion = talosVersion
        self.kubernetesVersion = kubernetesVersion
        self.extensions = extensions
        self.installDisk = installDisk
        self.nodes = nodes
        self.fluxRepository = fluxRepository
        self.fluxBranch = fluxBranch
        self.fluxPath = fluxPath
    }

    public var controlPlanes: [Node] { nodes.filter(\.isControlPlane) }
    public var workers: [Node] { nodes.filter { !$0.isControlPlane } }

    /// The talos image of the cluster's schematic.
    public var image: TalosImage { TalosImage(version: talosVersion, extensions: extensions) }

    /// The Proxmox plan input for these facts.
    public var proxmoxPlanInput: ProxmoxPlanInput {
        ProxmoxPlanInput(
            clusterName: name, node: proxmox.node, storage: proxmox.storage, imageStorage: proxmox.imageStorage,
            bridge: proxmox.bridge, prefixLength: prefixLength, gateway: gateway, nameservers: dnsServers,
            image: BootImage(url: image.isoURL, filename: image.isoFilename),
            vms: nodes.map { VMSpec(name: $0.name, role: $0.role, vmid: $0.vmid, cores: $0.cores, memoryMiB: $0.memoryMiB,
                                    diskGiB: $0.diskGiB, mac: $0.mac, address: $0.address) })
    }
}
