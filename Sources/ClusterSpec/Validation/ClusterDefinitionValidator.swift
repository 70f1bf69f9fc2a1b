import HomeportCore
import Manifests

/// Cross-field checks of a cluster definition: each problem is its own issue at the offending value.
struct ClusterDefinitionValidator {
    let draft: DraftDefinition
    let marks: SourceMarks
    /// The file name without its extension, which must equal `name`.
    let fileBaseName: String
    private(set) var issues: [ClusterDefinitionIssue] = []

    init(draft: DraftDefinition, marks: SourceMarks, fileBaseName: String) {
        self.draft = draft
        self.marks = marks
        self.fileBaseName = fileBaseName
    }

    static func validate(_ draft: DraftDefinition, marks: SourceMarks, fileBaseName: String) -> [ClusterDefinitionIssue] {
        var validator = ClusterDefinitionValidator(draft: draft, marks: marks, fileBaseName: fileBaseName)
        validator.checkName()
        validator.checkNodes()
        validator.checkNetwork()
        validator.checkNodeAddresses()
        validator.checkVersions()
        validator.checkNFS()
        validator.checkProxmoxHostAddress()
        validator.checkControlPlaneSpread()
        validator.checkPassthroughExtensions()
        return validator.issues
    }

    mutating func report(_ message: String, at path: String) {
        issues.append(ClusterDefinitionIssue(message, at: marks.value(path)))
    }

    /// A finding that does not stop homeport but deserves a look (`cluster validate` prints it).
    mutating func warn(_ message: String, at path: String) {
        issues.append(ClusterDefinitionIssue(message, at: marks.value(path), severity: .warning))
    }

    // MARK: name

    private mutating func checkName() {
        guard let name = draft.name, name != fileBaseName else { return }
        report("name '\(name)' differs from the file name '\(fileBaseName)'; rename the file to config/clusters/\(name).yaml or set name: \(fileBaseName)", at: "name")
    }

    // MARK: nodes

    private mutating func checkNodes() {
        guard draft.hasNodeList else { return }
        let nodes = draft.nodes
        if nodes.allSatisfy({ $0.role != nil }), !nodes.contains(where: { $0.role == .controlPlane }) {
            report("nodes has no control plane; give at least one node role: controlplane", at: "nodes")
        }
        reportDuplicates("name", \.name)
        reportDuplicates("address", \.address)
        reportDuplicates("vmid", \.vmid)
        reportDuplicates("mac", \.mac)
        for node in nodes {
            if let vmid = node.vmid, !ProxmoxVMID.valid.contains(vmid) {
                report("\(node.label).vmid \(vmid) is outside the VM ids Proxmox accepts (100 to 999999999)", at: "\(node.path).vmid")
            }
            guard let role = node.role else { continue }
            let minimum = TalosMinimums.forRole(role)
            let roleName = role == .controlPlane ? "a control plane" : "a worker"
            if let cores = node.cores, cores < minimum.cores {
                report("\(node.label).cores \(cores) is below the Talos minimum of \(minimum.cores) for \(roleName)", at: "\(node.path).cores")
            }
            if let memory = node.memoryMiB, memory < minimum.memoryMiB {
                report("\(node.label).memoryMiB \(memory) is below the Talos minimum of \(minimum.memoryMiB) MiB for \(roleName)", at: "\(node.path).memoryMiB")
            }
            if let disk = node.diskGiB, disk < minimum.diskGiB {
                report("\(node.label).diskGiB \(disk) is below the Talos minimum of \(minimum.diskGiB) GiB", at: "\(node.path).diskGiB")
            }
        }
    }

    /// Reports every node whose value repeats an earlier node's, at the repeated value.
    private mutating func reportDuplicates<Value: Hashable & CustomStringConvertible>(_ key: String, _ value: KeyPath<DraftNode, Value?>) {
        var firstUse: [Value: DraftNode] = [:]
        for node in draft.nodes {
            guard let current = node[keyPath: value] else { continue }
            if let earlier = firstUse[current] {
                report("\(node.label).\(key) \(current) is already used by \(earlier.label); each node needs its own \(key)", at: "\(node.path).\(key)")
            } else {
                firstUse[current] = node
            }
        }
    }

    // MARK: network

    private mutating func checkNetwork() {
        let network = draft.network
        if let cidr = network.nodeCIDR, let gateway = network.gateway {
            if !cidr.contains(gateway) {
                report("network.gateway \(gateway) is outside network.nodeCIDR \(cidr)", at: "network.gateway")
            } else if cidr.isReserved(gateway) {
                report("network.gateway \(gateway) is the \(reservedName(gateway, in: cidr)) address of \(cidr), not a host", at: "network.gateway")
            }
        }
        if let vip = network.controlPlaneVIP {
            checkHostAddress(vip, label: "network.controlPlaneVIP", path: "network.controlPlaneVIP")
            if let owner = draft.nodes.first(where: { $0.address == vip }) {
                report("network.controlPlaneVIP \(vip) is \(owner.label)'s address; the VIP must be a free address the control planes share", at: "network.controlPlaneVIP")
            }
        }
        checkCIDROverlaps()
        checkLoadBalancerPool()
        if let dhcp = network.dhcpRange, let cidr = network.nodeCIDR, !cidr.range.contains(dhcp) {
            report("network.dhcpRange \(dhcp) is not inside network.nodeCIDR \(cidr)", at: "network.dhcpRange")
        }
    }

    /// An address a machine or the VIP uses: inside the node CIDR, not its network or broadcast
    /// address, not the gateway, not handed out by DHCP.
    private mutating func checkHostAddress(_ address: IPv4Address, label: String, path: String) {
        let network = draft.network
        if let cidr = network.nodeCIDR {
            if !cidr.contains(address) {
                report("\(label) \(address) is outside network.nodeCIDR \(cidr)", at: path)
            } else if cidr.isReserved(address) {
                report("\(label) \(address) is the \(reservedName(address, in: cidr)) address of \(cidr), not a host", at: path)
            }
        }
        if let gateway = network.gateway, gateway == address {
            report("\(label) \(address) is the gateway's address", at: path)
        }
        if let dhcp = network.dhcpRange, dhcp.contains(address) {
            report("\(label) \(address) is inside network.dhcpRange \(dhcp); the DHCP server could hand it to another machine", at: path)
        }
    }

    private func reservedName(_ address: IPv4Address, in cidr: IPv4Network) -> String {
        address == cidr.address ? "network" : "broadcast"
    }

    private mutating func checkCIDROverlaps() {
        let network = draft.network
        if let pods = network.podCIDR, let services = network.serviceCIDR, pods.overlaps(services) {
            report("network.serviceCIDR \(services) overlaps network.podCIDR \(pods); pick ranges that do not overlap", at: "network.serviceCIDR")
        }
        if let nodes = network.nodeCIDR {
            if let pods = network.podCIDR, pods.overlaps(nodes) {
                report("network.podCIDR \(pods) overlaps network.nodeCIDR \(nodes); pod addresses would shadow the LAN", at: "network.podCIDR")
            }
            if let services = network.serviceCIDR, services.overlaps(nodes) {
                report("network.serviceCIDR \(services) overlaps network.nodeCIDR \(nodes); service addresses would shadow the LAN", at: "network.serviceCIDR")
            }
        }
    }

    private mutating func checkLoadBalancerPool() {
        let network = draft.network
        guard let pool = network.loadBalancerPool else { return }
        let path = "network.loadBalancerPool"
        if let cidr = network.nodeCIDR {
            if !cidr.range.contains(pool) {
                report("\(path) \(pool) is not inside network.nodeCIDR \(cidr)", at: path)
            } else if cidr.isReserved(pool.first) || cidr.isReserved(pool.last) {
                report("\(path) \(pool) includes the network or broadcast address of \(cidr)", at: path)
            }
        }
        if let gateway = network.gateway, pool.contains(gateway) {
            report("\(path) \(pool) contains the gateway \(gateway)", at: path)
        }
        if let vip = network.controlPlaneVIP, pool.contains(vip) {
            report("\(path) \(pool) contains network.controlPlaneVIP \(vip)", at: path)
        }
        for node in draft.nodes {
            if let address = node.address, pool.contains(address) {
                report("\(path) \(pool) contains \(node.label)'s address \(address)", at: path)
            }
        }
        if let dhcp = network.dhcpRange, pool.overlaps(dhcp) {
            report("\(path) \(pool) overlaps network.dhcpRange \(dhcp); the DHCP server could hand out LoadBalancer addresses", at: path)
        }
    }

    private mutating func checkNodeAddresses() {
        for node in draft.nodes {
            guard let address = node.address else { continue }
            checkHostAddress(address, label: "\(node.label).address", path: "\(node.path).address")
        }
    }

    // MARK: versions

    private mutating func checkVersions() {
        guard let talos = draft.talos.version else { return }
        if let problem = TalosSupport.releaseProblem(talos) {
            report("talos.version: \(problem)", at: "talos.version")
        } else if let kubernetes = draft.talos.kubernetesVersion, let problem = TalosSupport.problem(talos: talos, kubernetes: kubernetes) {
            report("talos.kubernetesVersion: \(problem)", at: "talos.kubernetesVersion")
        }
    }

    // MARK: nfs

    private mutating func checkNFS() {
        guard let server = draft.nfs?.server, let address = IPv4Address(server) else { return }
        if let node = draft.nodes.first(where: { $0.address == address }) {
            report("nfs.server \(address) is \(node.label)'s address; it should be the NAS", at: "nfs.server")
        } else if draft.network.controlPlaneVIP == address {
            report("nfs.server \(address) is network.controlPlaneVIP; it should be the NAS", at: "nfs.server")
        } else if let pool = draft.network.loadBalancerPool, pool.contains(address) {
            report("nfs.server \(address) is inside network.loadBalancerPool \(pool); it should be the NAS", at: "nfs.server")
        }
    }
}
