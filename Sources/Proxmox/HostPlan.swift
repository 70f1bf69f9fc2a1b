/// What the plan found and does on one Proxmox host.
public struct HostPlan: Sendable, Hashable, Codable {
    public var node: String
    /// False when the node is not an online member of the Proxmox cluster (the plan has an error).
    public var existsInCluster: Bool
    /// True when the boot ISO must be downloaded to this host's image storage.
    public var downloadImage: Bool
    /// Memory of the cluster's VMs placed on this host.
    public var memoryWantedMiB: Int
    /// Configured memory of the other VMs running on this host.
    public var memoryOthersMiB: Int
    /// The host's total memory; nil when unknown.
    public var memoryTotalMiB: Int?
    /// Why the VMs do not fit, when they do not.
    public var memoryProblem: String?
}

/// The per-host checks of a plan: every host exists and is online, has the storages, the
/// PCI mappings its VMs ask for, the boot ISO and enough memory.
enum HostChecks {
    /// Problems that make `apply` refuse before anything is created.
    static func errors(input: ProxmoxPlanInput, inventory: ProxmoxInventory) -> [String] {
        var errors: [String] = []
        let memberList = inventory.members.keys.sorted().joined(separator: ", ")
        for node in input.hosts {
            let specs = input.vms.filter { input.host(of: $0) == node }
            let asking = specs.filter { $0.proxmoxNode == node }.map(\.name)
            let setting = asking.isEmpty ? "proxmox.node \(node)" : "proxmoxNode \(node) (of \(asking.joined(separator: ", ")))"
            switch inventory.members[node] {
            case nil:
                errors.append("\(setting) is not a node of the Proxmox cluster (nodes: \(memberList)); fix the cluster definition")
                continue
            case false?:
                errors.append("node \(node) is offline in the Proxmox cluster; its VMs (\(specs.map(\.name).joined(separator: ", "))) cannot be placed until it is back")
                continue
            case true?:
                break
            }
            guard !specs.isEmpty, let host = inventory.hosts[node] else { continue }
            for storage in [input.storage, input.imageStorage] where !host.storages.contains(storage) {
                errors.append("storage \(storage) does not exist on node \(node) (proxmox.storage / proxmox.imageStorage, needed by \(specs.map(\.name).joined(separator: ", "))); existing: \(host.storages.sorted().joined(separator: ", "))")
            }
        }
        for spec in input.vms {
            guard let mapping = spec.pciMapping else { continue }
            let node = input.host(of: spec)
            guard let found = inventory.pciMappings?[mapping] else {
                let existing = (inventory.pciMappings ?? [:]).keys.sorted().joined(separator: ", ")
                errors.append("pciMapping \(mapping) of \(spec.name) is not a PCI resource mapping of the Proxmox cluster (existing: \(existing.isEmpty ? "none" : existing)); create it under Datacenter → Resource Mappings, and give the token Mapping.Use on /mapping/pci/\(mapping)")
                continue
            }
            if found.devices[node] == nil {
                let mapped = found.devices.keys.sorted().joined(separator: ", ")
                errors.append("pciMapping \(mapping) of \(spec.name) has no device on node \(node) (it maps \(mapped.isEmpty ? "no node" : mapped)); add \(node)'s device to the mapping or set proxmoxNode to a mapped node")
            }
        }
        return errors
    }

    /// An Intel device passed through to a schematic without the i915 extension: probably an
    /// iGPU Talos cannot drive. A warning, since Intel also makes NICs and other devices.
    static func warnings(input: ProxmoxPlanInput, inventory: ProxmoxInventory) -> [String] {
        guard let extensions = input.extensions, !extensions.contains(where: { $0.hasPrefix("siderolabs/i915") }) else { return [] }
        return input.vms.compactMap { spec in
            let node = input.host(of: spec)
            guard let id = spec.pciMapping, let mapping = inventory.pciMappings?[id], mapping.isIntel(on: node) else { return nil }
            return "\(spec.name)'s pciMapping \(id) is an Intel device (\(mapping.devices[node] ?? "")) on \(node); if it is the iGPU, add siderolabs/i915 to talos.extensions or Talos has no driver for it"
        }
    }

    /// Per host: whether the ISO is downloaded there and whether the VMs fit. Capacity is the
    /// host's total memory minus the configured memory of its other running VMs, not "free"
    /// memory, which ZFS's cache eats.
    static func hostPlans(input: ProxmoxPlanInput, inventory: ProxmoxInventory) -> [HostPlan] {
        let mib = 1024 * 1024
        let desiredIDs = Set(input.vms.map(\.vmid))
        // An ISO on shared storage is on every node once any node has (or gets) it.
        var onSharedStorage = inventory.hosts.values.contains { $0.sharedStorages.contains(input.imageStorage) && $0.isoPresent }
        var plans: [HostPlan] = []
        for node in input.hosts {
            let specs = input.vms.filter { input.host(of: $0) == node }
            guard let host = inventory.hosts[node] else {
                plans.append(HostPlan(node: node, existsInCluster: false, downloadImage: false, memoryWantedMiB: 0, memoryOthersMiB: 0,
                                      memoryTotalMiB: nil, memoryProblem: nil))
                continue
            }
            let shared = host.sharedStorages.contains(input.imageStorage)
            var download = !specs.isEmpty && !host.isoPresent && host.storages.contains(input.imageStorage)
            if download && shared {
                download = !onSharedStorage
                onSharedStorage = true
            }
            let wanted = specs.reduce(0) { $0 + $1.memoryMiB }
            let others = inventory.vms.filter { $0.node == node && $0.isRunning && !desiredIDs.contains($0.vmid) }
                .reduce(0) { $0 + $1.maxMemoryBytes } / mib
            let total = host.memoryBytes.map { $0 / mib }
            var problem: String?
            if let total, !specs.isEmpty, wanted + others > total {
                problem = "the VMs on node \(node) (\(specs.map(\.name).joined(separator: ", "))) need \(wanted) MiB and other running VMs use \(others) MiB, but node \(node) has \(total) MiB: lower memoryMiB or place a VM on another node"
            }
            plans.append(HostPlan(node: node, existsInCluster: true, downloadImage: download, memoryWantedMiB: wanted,
                                  memoryOthersMiB: others, memoryTotalMiB: total, memoryProblem: problem))
        }
        return plans
    }
}
