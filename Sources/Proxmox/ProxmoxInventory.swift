/// One VM as Proxmox reports it.
public struct ExistingVM: Sendable, Hashable {
    public var vmid: Int
    public var name: String
    public var node: String
    public var status: String
    public var tags: Set<String>
    public var lock: String?
    /// The config with pending values merged in (what the VM will be after a restart).
    public var config: [String: String]
    /// Keys whose new value waits for a restart.
    public var pendingKeys: [String]
    public var maxMemoryBytes: Int

    public var isRunning: Bool { status == "running" }
}

/// What exists in the Proxmox cluster, read fresh for every plan: the VMs of every node, the
/// cluster's members, each host the plan touches and, when a VM asks for one, the PCI mappings.
public struct ProxmoxInventory: Sendable {
    public var vms: [ExistingVM]
    /// Cluster members by name, with whether each is online.
    public var members: [String: Bool]
    /// The hosts the plan touches that exist in the cluster, by node name.
    public var hosts: [String: HostInventory]
    /// The cluster's PCI resource mappings by id; nil when no VM asks for one (not read).
    public var pciMappings: [String: PCIMapping]?

    public init(vms: [ExistingVM], members: [String: Bool], hosts: [String: HostInventory], pciMappings: [String: PCIMapping]? = nil) {
        self.vms = vms
        self.members = members
        self.hosts = hosts
        self.pciMappings = pciMappings
    }

    /// A one-node inventory (the single-box case).
    public init(vms: [ExistingVM], host: HostInventory, pciMappings: [String: PCIMapping]? = nil) {
        self.init(vms: vms, members: [host.node: true], hosts: [host.node: host], pciMappings: pciMappings)
    }

    /// Reads the inventory relevant to `input`: every VM (configs only for the VMIDs the
    /// input names and for VMs carrying its tags), the cluster members, each host's memory,
    /// CPUs, storages and boot ISO, and the PCI mappings when a VM names one.
    public static func read(_ client: ProxmoxClient, for input: ProxmoxPlanInput) async throws -> ProxmoxInventory {
        let vms = try await readVMs(client, for: input)
        let nodeList = try await client.get("/nodes").array ?? []
        var members: [String: Bool] = [:]
        for item in nodeList {
            guard let name = item["node"]?.string else { continue }
            members[name] = item["status"]?.string.map { $0 == "online" } ?? true
        }
        var hosts: [String: HostInventory] = [:]
        // A host that is not a member or is offline cannot be asked; the plan reports it.
        for node in input.hosts where members[node] == true {
            hosts[node] = try await HostInventory.read(client, node: node, input: input)
        }
        var mappings: [String: PCIMapping]?
        if input.vms.contains(where: { $0.pciMapping != nil }) {
            let list = try await client.get("/cluster/mapping/pci").array ?? []
            mappings = Dictionary(list.compactMap(PCIMapping.init).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        return ProxmoxInventory(vms: vms, members: members, hosts: hosts, pciMappings: mappings)
    }

    private static func readVMs(_ client: ProxmoxClient, for input: ProxmoxPlanInput) async throws -> [ExistingVM] {
        let resources = try await client.get("/cluster/resources", ["type": "vm"]).array ?? []
        let wanted = Set(input.vms.map(\.vmid))
        var vms: [ExistingVM] = []
        for item in resources where item["type"]?.string == "qemu" {
            guard let vmid = item["vmid"]?.int, let vmNode = item["node"]?.string else { continue }
            let tags = DesiredVMConfig.tagSet(item["tags"]?.string ?? "")
            var vm = ExistingVM(vmid: vmid, name: item["name"]?.string ?? "", node: vmNode,
                                status: item["status"]?.string ?? "unknown", tags: tags,
                                lock: item["lock"]?.string, config: [:], pendingKeys: [],
                                maxMemoryBytes: item["maxmem"]?.int ?? 0)
            if wanted.contains(vmid) || tags.isSuperset(of: input.ownershipTags) {
                let config = try await client.get("/nodes/\(vmNode)/qemu/\(vmid)/config")
                for (key, value) in config.object ?? [:] {
                    if let text = value.string { vm.config[key] = text }
                }
                vm.lock = vm.config["lock"] ?? vm.lock
                if vm.isRunning {
                    let pending = try await client.get("/nodes/\(vmNode)/qemu/\(vmid)/pending").array ?? []
                    vm.pendingKeys = pending.compactMap { entry in
                        guard let key = entry["key"]?.string else { return nil }
                        return entry["pending"] != nil || entry["delete"]?.int ?? 0 > 0 ? key : nil
                    }.sorted()
                }
            }
            vms.append(vm)
        }
        return vms.sorted { $0.vmid < $1.vmid }
    }
}
