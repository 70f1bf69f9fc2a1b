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
