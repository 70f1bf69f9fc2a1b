/// One Proxmox host as the plan needs it: memory and CPUs, storages and the boot ISO.
public struct HostInventory: Sendable, Hashable {
    public var node: String
    public var memoryBytes: Int?
    public var cpus: Int?
    public var storages: Set<String>
    /// Storages every node sees with the same content (NFS, CephFS, ...): an ISO on one is on all.
    public var sharedStorages: Set<String>
    /// Whether the boot ISO is on the input's image storage, as this host sees it.
    public var isoPresent: Bool

    public init(node: String, memoryBytes: Int?, cpus: Int?, storages: Set<String>, sharedStorages: Set<String> = [], isoPresent: Bool) {
        self.node = node
        self.memoryBytes = memoryBytes
        self.cpus = cpus
        self.storages = storages
        self.sharedStorages = sharedStorages
        self.isoPresent = isoPresent
    }

    /// Reads `node`'s status, storages and whether the boot ISO is on image storage.
    static func read(_ client: ProxmoxClient, node: String, input: ProxmoxPlanInput) async throws -> HostInventory {
        let status = try await client.get("/nodes/\(node)/status")
        let storageList = try await client.get("/nodes/\(node)/storage").array ?? []
        let storages = Set(storageList.compactMap { $0["storage"]?.string })
        let shared = Set(storageList.filter { $0["shared"]?.bool == true }.compactMap { $0["storage"]?.string })
        var isoPresent = false
        if storages.contains(input.imageStorage) {
            let content = try await client.get("/nodes/\(node)/storage/\(input.imageStorage)/content", ["content": "iso"]).array ?? []
            let volume = "\(input.imageStorage):iso/\(input.image.filename)"
            isoPresent = content.contains { $0["volid"]?.string == volume }
        }
        return HostInventory(node: node, memoryBytes: status["memory"]?["total"]?.int, cpus: status["cpuinfo"]?["cpus"]?.int,
                             storages: storages, sharedStorages: shared, isoPresent: isoPresent)
    }
}

/// A cluster PCI resource mapping (Datacenter → Resource Mappings): one logical device, and
/// which physical device stands for it on each node.
public struct PCIMapping: Sendable, Hashable {
    public var id: String
    /// Node name → the expected `vendor:device` id, e.g. `8086:46d1` for an N100's iGPU.
    public var devices: [String: String]

    public init(id: String, devices: [String: String]) {
        self.id = id
        self.devices = devices
    }

    /// Reads one entry of `GET /cluster/mapping/pci`; its `map` items are property strings
    /// such as `node=pve1,path=0000:00:02.0,id=8086:46d1`.
    init?(_ item: JSONValue) {
        guard let id = item["id"]?.string else { return nil }
        var devices: [String: String] = [:]
        for entry in item["map"]?.array?.compactMap(\.string) ?? [] {
            guard let node = PropertyString.value("node", in: entry) else { continue }
            devices[node] = PropertyString.value("id", in: entry) ?? ""
        }
        self.init(id: id, devices: devices)
    }

    /// Whether the device on `node` is Intel's (vendor 8086), i.e. possibly an iGPU that needs i915.
    public func isIntel(on node: String) -> Bool {
        devices[node]?.lowercased().hasPrefix("8086:") == true
    }
}
