import ClusterSpec

extension TalosGenerationInput {
    /// The Talos inputs of a validated cluster definition. Nodes are found by their Proxmox
    /// MAC address (the link name inside the VM is not under homeport's control) and get
    /// their static address in the node network.
    public init(definition: ClusterDefinition) {
        let network = definition.network
        self.init(
            clusterName: definition.name,
            talosVersion: definition.talos.version.description,
            kubernetesVersion: definition.talos.kubernetesVersion.description,
            nodePrefixLength: network.nodeCIDR.prefixLength,
            gateway: network.gateway.description,
            nameservers: network.dnsServers.map(\.description),
            controlPlaneVIP: network.controlPlaneVIP.description,
            podSubnets: [network.podCIDR.description],
            serviceSubnets: [network.serviceCIDR.description],
            installDisk: definition.talos.installDisk,
            extensions: definition.talos.extensions,
            allowSchedulingOnControlPlanes: definition.talos.allowSchedulingOnControlPlanes,
            nodes: definition.nodes.map { node in
                Node(hostname: node.name, role: node.role == .controlPlane ? .controlplane : .worker,
                     address: node.address.description, macAddress: node.mac.description)
            },
            nodeSubnet: network.nodeCIDR.description)
    }
}
