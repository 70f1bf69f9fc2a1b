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
    /// Where alerts go; nil when the cluster sends none.
    public var alerts: AlertSettings?
    /// Where each value was written, for messages about it.
    public var marks: SourceMarks

    public init(name: String, domain: String, proxmox: ProxmoxSettings, network: NetworkPlan, talos: TalosSettings,
                nodes: [NodeDefinition], flux: FluxSettings, nfs: NFSSettings?, alerts: AlertSettings? = nil, marks: SourceMarks = SourceMarks()) {
        self.name = name
        self.domain = domain
        self.proxmox = proxmox
        self.network = network
        self.talos = talos
        self.nodes = nodes
        self.flux = flux
        self.nfs = nfs
        self.alerts = alerts
        self.marks = marks
    }

    /// Control-plane nodes, in file order.
    public var controlPlanes: [NodeDefinition] { nodes.filter { $0.role == .controlPlane } }

    /// Worker nodes, in file order.
    public var workers: [NodeDefinition] { nodes.filter { $0.role == .worker } }

    /// The Kubernetes API endpoint: the control-plane VIP on port 6443.
    public var controlPlaneEndpoint: String { "https://\(network.controlPlaneVIP):6443" }
}
