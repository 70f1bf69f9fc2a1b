/// A step `apply` or `destroy` took, for progress output and logs.
public struct ProxmoxStep: Sendable, Hashable {
    public var verb: String
    public var subject: String
}

/// Plans and applies the cluster's VMs. Every run reads reality first, so an interrupted
/// apply is finished by running apply again.
public struct ProxmoxDeployer: Sendable {
    public let client: ProxmoxClient
    public let input: ProxmoxPlanInput
    /// Called after each completed step.
    public var progress: @Sendable (ProxmoxStep) -> Void

    public init(client: ProxmoxClient, input: ProxmoxPlanInput, progress: @escaping @Sendable (ProxmoxStep) -> Void = { _ in }) {
        self.client = client
        self.input = input
        self.progress = progress
    }

    /// Reads the host and computes the plan.
    public func plan() async throws -> VMPlan {
        VMPlan.make(input: input, inventory: try await ProxmoxInventory.read(client, for: input))
    }

    /// Makes the host match the definition. Refuses (without changing anything) when the plan
    /// has errors. Never reboots a running VM.
    @discardableResult
    public func apply() async throws -> VMPlan {
        let plan = try await plan()
        guard plan.errors.isEmpty else {
            throw ProxmoxError.configuration("the Proxmox plan has errors, nothing was changed:\n" + plan.errors.map { "  - \($0)" }.joined(separator: "\n"))
        }
        for host in plan.hosts where host.downloadImage {
            try await client.runTask(.post, "/nodes/\(host.node)/storage/\(input.imageStorage)/download-url", [
                "url": input.image.url, "filename": input.image.filename, "content": "iso",
            ])
            let on = plan.hosts.count > 1 ? " on \(host.node)" : ""
            progress(ProxmoxStep(verb: "downloaded", subject: "\(input.imageStorage):iso/\(input.image.filename)\(on)"))
        }
        for entry in plan.vms {
            let node = entry.node
            let base = "/nodes/\(node)/qemu/\(entry.vmid)"
            switch entry.action {
            case .create:
                try await client.runTask(.post, "/nodes/\(node)/qemu", entry.parameters)
                try await client.waitForUnlock(node: node, vmid: entry.vmid)
                progress(ProxmoxStep(verb: "created", subject: entry.name))
            case .update:
                if !entry.parameters.isEmpty {
                    try await client.waitForUnlock(node: node, vmid: entry.vmid)
                    var parameters = entry.parameters
                    // The digest makes Proxmox refuse the change if someone edited the VM meanwhile.
                    if let digest = try await client.get("\(base)/config")["digest"]?.string { parameters["digest"] = digest }
                    try await client.runTask(.post, "\(base)/config", parameters)
                }
                if let size = entry.growDiskToGiB {
                    try await client.runTask(.put, "\(base)/resize", ["disk": "scsi0", "size": "\(size)G"])
                }
                progress(ProxmoxStep(verb: "updated", subject: "\(entry.name): \(entry.changes.map(\.key).joined(separator: ", "))"))
            case .unchanged:
                break
            }
        }
        for entry in plan.vms where entry.start {
            try await start(vmid: entry.vmid, name: entry.name, node: entry.node)
        }
        return plan
    }

    /// Starts a VM unless it runs already (a start from an interrupted run may have finished
    /// since the plan was read).
    func start(vmid: Int, name: String, node: String) async throws {
        let base = "/nodes/\(node)/qemu/\(vmid)"
        if try await client.get("\(base)/status/current")["status"]?.string == "running" { return }
        do {
            try await client.runTask(.post, "\(base)/status/start")
        } catch ProxmoxError.http(_, _, 500, let message) where message.contains("already running") {
            return
        }
        progress(ProxmoxStep(verb: "started", subject: name))
    }

    /// Stops and deletes every VM carrying the cluster's tags (and only those).
    public func destroy() async throws -> [String] {
        let inventory = try await ProxmoxInventory.read(client, for: input)
        var removed: [String] = []
        for vm in inventory.vms where vm.tags.isSuperset(of: input.ownershipTags) {
            let base = "/nodes/\(vm.node)/qemu/\(vm.vmid)"
            let status = try await client.get("\(base)/status/current")
            if status["status"]?.string == "running" {
                try await client.runTask(.post, "\(base)/status/shutdown", ["forceStop": "1", "timeout": "60"])
                progress(ProxmoxStep(verb: "stopped", subject: vm.name))
            }
            try await client.runTask(.delete, base, ["purge": "1", "destroy-unreferenced-disks": "1"])
            progress(ProxmoxStep(verb: "destroyed", subject: "\(vm.name) (VMID \(vm.vmid))"))
            removed.append(vm.name)
        }
        return removed
    }

    /// The VMs of the cluster as they are now, with pending changes.
    public func status() async throws -> [VMStatus] {
        let inventory = try await ProxmoxInventory.read(client, for: input)
        let byID = Dictionary(inventory.vms.map { ($0.vmid, $0) }, uniquingKeysWith: { first, _ in first })
        return input.vms.map { spec in
            guard let vm = byID[spec.vmid], vm.tags.isSuperset(of: input.ownershipTags) else {
                return VMStatus(name: spec.name, vmid: spec.vmid, state: "missing", pendingKeys: [], lock: nil)
            }
            return VMStatus(name: spec.name, vmid: spec.vmid, state: vm.status, pendingKeys: vm.pendingKeys, lock: vm.lock)
        }
    }
}

/// One VM's state for `homeport proxmox status` and `homeport status`.
public struct VMStatus: Sendable, Hashable, Codable {
    public var name: String
    public var vmid: Int
    /// `running`, `stopped` or `missing`.
    public var state: String
    public var pendingKeys: [String]
    public var lock: String?

    public var isHealthy: Bool { state == "running" && pendingKeys.isEmpty && (lock ?? "").isEmpty }
}
