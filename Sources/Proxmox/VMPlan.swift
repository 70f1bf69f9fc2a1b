import Foundation

/// One changed key of an existing VM.
public struct ConfigChange: Sendable, Hashable, Codable {
    public var key: String
    public var from: String?
    public var to: String
}

/// What the plan does to one VM.
public struct VMPlanEntry: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Codable {
        case create, update, unchanged
    }

    public var name: String
    public var vmid: Int
    /// The Proxmox node the VM lives on.
    public var node: String
    public var action: Action
    /// For `update`: the keys that change (disk growth is listed as `scsi0`).
    public var changes: [ConfigChange]
    /// For `update`: the new disk size when the disk grows.
    public var growDiskToGiB: Int?
    /// Whether the VM will be started (it is new or stopped).
    public var start: Bool
    /// Keys that take effect only after the VM restarts (it runs; homeport never reboots it).
    public var pendingUntilRestart: [String]
    /// The parameters sent to create the VM, or the changed keys sent to update it.
    public var parameters: [String: String]
}

/// A plan for the cluster's VMs: computed from the definition and the hosts' reality.
public struct VMPlan: Sendable, Hashable, Codable {
    public var cluster: String
    /// The default node (`proxmox.node`).
    public var node: String
    public var image: BootImage
    public var imageStorage: String
    /// True when the ISO must be downloaded first (to at least one host).
    public var downloadImage: Bool
    /// What the plan found and does per Proxmox host.
    public var hosts: [HostPlan]
    public var vms: [VMPlanEntry]
    public var warnings: [String]
    /// Problems that make `apply` refuse (memory, shrinking disks, foreign VMIDs, ...).
    public var errors: [String]

    /// True when `apply` would change anything.
    public var hasChanges: Bool {
        downloadImage || vms.contains { $0.action != .unchanged || $0.start }
    }

    /// Builds the plan. Pure: everything it knows comes from `input` and `inventory`.
    public static func make(input: ProxmoxPlanInput, inventory: ProxmoxInventory) -> VMPlan {
        var warnings: [String] = []
        var errors = HostChecks.errors(input: input, inventory: inventory)
        var entries: [VMPlanEntry] = []
        let byID = Dictionary(inventory.vms.map { ($0.vmid, $0) }, uniquingKeysWith: { first, _ in first })
        for spec in input.vms {
            let node = input.host(of: spec)
            let desired = DesiredVMConfig(spec: spec, input: input)
            if let cores = inventory.hosts[node]?.cpus, spec.cores > cores {
                warnings.append("\(spec.name) asks for \(spec.cores) cores but node \(node) has \(cores) CPUs")
            }
            guard let existing = byID[spec.vmid] else {
                entries.append(VMPlanEntry(name: spec.name, vmid: spec.vmid, node: node, action: .create, changes: [], growDiskToGiB: nil,
                                           start: true, pendingUntilRestart: [], parameters: desired.createParameters))
                continue
            }
            guard existing.tags.isSuperset(of: input.ownershipTags) else {
                errors.append("VMID \(spec.vmid) (for \(spec.name)) is taken by VM '\(existing.name)', which does not carry the tags homeport and \(input.clusterName); homeport leaves it alone: pick another vmid in the cluster definition")
                continue
            }
            guard existing.node == node else {
                errors.append("\(spec.name) (VMID \(spec.vmid)) runs on node \(existing.node), not \(node); moving VMs is not something homeport does: migrate it or change proxmoxNode (or proxmox.node)")
                continue
            }
            var changes: [ConfigChange] = []
            var parameters: [String: String] = [:]
            var grow: Int?
            for (key, value) in desired.managedValues {
                if key == "scsi0" {
                    guard let current = existing.config["scsi0"], let disk = ExistingDisk(current) else {
                        errors.append("\(spec.name) (VMID \(spec.vmid)) has no scsi0 disk; homeport would have to recreate the VM, which it refuses: destroy it yourself or fix the disk")
                        continue
                    }
                    if disk.storage != input.storage {
                        errors.append("\(spec.name) (VMID \(spec.vmid)) has its disk on \(disk.storage), not \(input.storage); moving it means recreating the VM, which homeport refuses (move the disk in Proxmox or change proxmox.storage)")
                    } else if let size = disk.sizeGiB, size > spec.diskGiB {
                        errors.append("\(spec.name) (VMID \(spec.vmid)) has a \(size) GiB disk but the definition says \(spec.diskGiB) GiB; disks never shrink: set diskGiB to \(size) or more")
                    } else if let size = disk.sizeGiB, size < spec.diskGiB {
                        grow = spec.diskGiB
                        changes.append(ConfigChange(key: "scsi0", from: "\(size)G", to: "\(spec.diskGiB)G"))
                    }
                    continue
                }
                if !DesiredVMConfig.matches(key: key, existing: existing.config[key], desired: value, input: input) {
                    changes.append(ConfigChange(key: key, from: existing.config[key], to: value))
                    parameters[key] = value
                }
            }
            let hotChangeable: Set<String> = ["name", "tags", "onboot", "nameserver", "ipconfig0", "ide2", "boot", "balloon"]
            var pending = existing.pendingKeys
            if existing.isRunning {
                pending += changes.map(\.key).filter { !hotChangeable.contains($0) && $0 != "scsi0" }
            }
            entries.append(VMPlanEntry(name: spec.name, vmid: spec.vmid, node: node, action: changes.isEmpty ? .unchanged : .update,
                                       changes: changes, growDiskToGiB: grow, start: !existing.isRunning,
                                       pendingUntilRestart: Array(Set(pending)).sorted(), parameters: parameters))
        }
        let desiredIDs = Set(input.vms.map(\.vmid))
        for vm in inventory.vms where vm.tags.isSuperset(of: input.ownershipTags) && !desiredIDs.contains(vm.vmid) {
            warnings.append("VM '\(vm.name)' (VMID \(vm.vmid)) carries the tags of cluster \(input.clusterName) but is not in its definition; homeport leaves it (`homeport proxmox destroy --yes` removes every VM of the cluster)")
        }
        warnings += HostChecks.warnings(input: input, inventory: inventory)
        let hosts = HostChecks.hostPlans(input: input, inventory: inventory)
        errors += hosts.compactMap(\.memoryProblem)
        return VMPlan(cluster: input.clusterName, node: input.node, image: input.image, imageStorage: input.imageStorage,
                      downloadImage: hosts.contains(where: \.downloadImage), hosts: hosts, vms: entries,
                      warnings: warnings, errors: errors)
    }

    // MARK: Output

    /// A readable plan, one line per action.
    public func renderText() -> String {
        // One host reads as before; several name the host on every line that acts on one.
        let several = hosts.count > 1
        let nodes = several ? "nodes \(hosts.map(\.node).joined(separator: ", "))" : "node \(node)"
        var lines = ["Proxmox plan for cluster \(cluster) on \(nodes):"]
        for host in hosts where host.existsInCluster {
            let on = several ? " on \(host.node)" : ""
            if host.downloadImage {
                lines.append("  download  \(imageStorage):iso/\(image.filename)\(on) from \(image.url)")
            } else {
                lines.append("  present   \(imageStorage):iso/\(image.filename)\(on)")
            }
            if several, let total = host.memoryTotalMiB {
                lines.append("  capacity  \(host.node): VMs \(host.memoryWantedMiB) MiB + other running VMs \(host.memoryOthersMiB) MiB of \(total) MiB")
            }
        }
        for entry in vms {
            let label = several ? "\(entry.name) (VMID \(entry.vmid)) on \(entry.node)" : "\(entry.name) (VMID \(entry.vmid))"
            switch entry.action {
            case .create:
                let p = entry.parameters
                lines.append("  create    \(label): \(p["cores"] ?? "?") cores, \(p["memory"] ?? "?") MiB, disk \(p["scsi0"]?.split(separator: ",").first ?? "?") GiB, \(p["net0"] ?? ""), \(p["ipconfig0"] ?? "")\(p["hostpci0"].map { ", hostpci0 \($0) (machine \(p["machine"] ?? "?"))" } ?? "")")
            case .update:
                let keys = entry.changes.map { "\($0.key) \($0.from ?? "(unset)") → \($0.to)" }.joined(separator: "; ")
                lines.append("  update    \(label): \(keys)")
            case .unchanged:
                lines.append("  unchanged \(label)")
            }
            if entry.start { lines.append("  start     \(label)") }
            if !entry.pendingUntilRestart.isEmpty {
                lines.append("  pending   \(label): \(entry.pendingUntilRestart.joined(separator: ", ")) apply at the next restart (homeport never reboots a running VM)")
            }
        }
        for warning in warnings { lines.append("warning: \(warning)") }
        for error in errors { lines.append("error: \(error)") }
        if errors.isEmpty && !hasChanges { lines.append("Nothing to do.") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The plan as JSON (stable key order).
    public func renderJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }
}
