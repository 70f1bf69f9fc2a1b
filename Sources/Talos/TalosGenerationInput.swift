import HomeportCore

/// Everything homeport needs from a cluster definition to render Talos configs. Kept apart
/// from `ClusterDefinition` so the generator can be tested and reused on its own.
public struct TalosGenerationInput: Sendable {
    /// One Talos node.
    public struct Node: Sendable {
        public var hostname: String
        public var role: MachineRole
        /// Static IPv4/IPv6 address without prefix; nil means DHCP.
        public var address: String?
        /// The link is selected by this MAC address when set, otherwise by ``interfaceName``.
        public var macAddress: String?
        public var interfaceName: String
        /// Overrides the cluster's install disk.
        public var installDisk: String?

        public init(hostname: String, role: MachineRole, address: String?, macAddress: String? = nil,
                    interfaceName: String = "eth0", installDisk: String? = nil) {
            self.hostname = hostname
            self.role = role
            self.address = address
            self.macAddress = macAddress
            self.interfaceName = interfaceName
            self.installDisk = installDisk
        }
    }

    public var clusterName: String
    /// The full Talos version, e.g. `v1.13.9` (the installer tag).
    public var talosVersion: String
    public var kubernetesVersion: String
    /// Prefix length of the node network, e.g. 24 for 192.168.1.0/24.
    public var nodePrefixLength: Int
    public var gateway: String?
    public var nameservers: [String]
    public var controlPlaneVIP: String?
    public var podSubnets: [String]
    public var serviceSubnets: [String]
    public var dnsDomain: String
    public var installDisk: String
    public var extensions: [String]
    public var extraKernelArgs: [String]
    public var allowSchedulingOnControlPlanes: Bool
    public var additionalSANs: [String]
    public var nodes: [Node]
    /// The node network, e.g. `192.168.1.0/24`: the kubelet's node IP and etcd's advertised
    /// address are picked from it. nil leaves the choice to Talos.
    public var nodeSubnet: String?

    public init(clusterName: String, talosVersion: String, kubernetesVersion: String, nodePrefixLength: Int,
                gateway: String?, nameservers: [String], controlPlaneVIP: String?,
                podSubnets: [String] = ["10.244.0.0/16"], serviceSubnets: [String] = ["10.96.0.0/12"],
                dnsDomain: String = "cluster.local", installDisk: String = "/dev/sda", extensions: [String] = [],
                extraKernelArgs: [String] = [], allowSchedulingOnControlPlanes: Bool = false,
                additionalSANs: [String] = [], nodes: [Node], nodeSubnet: String? = nil) {
        self.clusterName = clusterName
        self.talosVersion = talosVersion
        self.kubernetesVersion = kubernetesVersion
        self.nodePrefixLength = nodePrefixLength
        self.gateway = gateway
        self.nameservers = nameservers
        self.controlPlaneVIP = controlPlaneVIP
        self.podSubnets = podSubnets
        self.serviceSubnets = serviceSubnets
        self.dnsDomain = dnsDomain
        self.installDisk = installDisk
        self.extensions = extensions
        self.extraKernelArgs = extraKernelArgs
        self.allowSchedulingOnControlPlanes = allowSchedulingOnControlPlanes
        self.additionalSANs = additionalSANs
        self.nodes = nodes
        self.nodeSubnet = nodeSubnet
    }

    public var contract: TalosContract {
        get throws { try TalosContract(parsing: talosVersion) }
    }

    public var controlPlanes: [Node] { nodes.filter { $0.role == .controlplane } }
    public var workers: [Node] { nodes.filter { $0.role == .worker } }

    /// The Kubernetes API endpoint: the VIP when there is one, else the first control plane.
    public var endpoint: String {
        get throws {
            guard let host = controlPlaneVIP ?? controlPlanes.first?.address else {
                throw HomeportError.usage("cluster \(clusterName) has no control-plane VIP and no control plane with a static address")
            }
            return "https://\(host.contains(":") ? "[\(host)]" : host):6443"
        }
    }

    /// talosctl endpoints: the control-plane addresses, never the VIP (it is down until etcd is).
    public var talosEndpoints: [String] { controlPlanes.compactMap(\.address) }

    /// The schematic of the cluster's boot and installer images. From v1.12 on the kernel
    /// command line comes from the image, so the kernel arguments live here.
    public var schematic: Schematic {
        get throws {
            let uki = try contract.has(.grubUseUKICmdline)
            return Schematic(officialExtensions: extensions, extraKernelArgs: uki ? extraKernelArgs : [])
        }
    }
}
