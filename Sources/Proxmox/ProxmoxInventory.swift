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

/// What exists on the Proxmox host, read fresh for every plan.
public struct ProxmoxInventory: Sendable {
    public var vms: [ExistingVM]
    public var hostMemoryBytes: Int?
    public var hostCPUs: Int?
    public var storages: Set<String>
    public var isoPresent: Bool

    public init(vms: [ExistingVM], hostMemoryBytes: Int?, hostCPUs: Int?, storages: Set<String>, isoPresent: Bool) {
        self.vms = vms
        self.hostMemoryBytes = hostMemoryBytes
        self.hostCPUs = hostCPUs
        self.storages = storages
        self.isoPresent = isoPresent
    }

    /// Reads the inventory relevant to `input`: every VM (configs only for the VMIDs the
    /// input names and for VMs carrying its tags), the node's memory and CPUs, its storages,
    /// and whether the boot ISO is on image storage.
    public static func read(_ client: ProxmoxClient, for input: ProxmoxPlanInput) async throws -> ProxmoxInventory {
        let node = input.node
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
        let status = try await client.get("/nodes/\(node)/status")
        let storageList = try await client.get("/nodes/\(node)/storage").array ?? []
        let storages = Set(storageList.compactMap { $0["storage"]?.string })
        var isoPresent = false
        if storages.contains(input.imageStorage) {
            let content = try await client.get("/nodes/\(node)/storage/\(input.imageStorage)/content", ["content": "iso"]).array ?? []
            let volume = "\(input.imageStorage):iso/\(input.image.filename)"
            isoPresent = content.contains { $0["volid"]?.string == volume }
        }
        return ProxmoxInventory(vms: vms.sorted { $0.vmid < $1.vmid },
                                hostMemoryBytes: status["memory"]?["total"]?.int,
                                hostCPUs: status["cpuinfo"]?["cpus"]?.int,
                                storages: storages, isoPresent: isoPresent)
    }
}
