import Foundation
import Proxmox

extension SimulatorState {
    /// Keys Proxmox applies to a running VM at once; the rest wait in `pending`.
    static let hotKeys: Set<String> = ["name", "tags", "onboot", "description", "nameserver", "ipconfig0", "ide0", "ide2", "boot", "balloon", "net0"]
    /// Keys the GET config answer carries as JSON numbers (the rest are strings).
    static let numericKeys: Set<String> = ["cores", "sockets", "balloon", "onboot"]

    func handleValid(method: String, template: String, parameters p: [String: String]) -> SimulatorResponse {
        let vmid = p["vmid"].flatMap(Int.init)
        let node = p["node"] ?? self.node
        if p["node"] != nil {
            guard let member = nodes[node] else { return .error(500, "hostname lookup '\(node)' failed - failed to get address info for: \(node): Name or service not known") }
            guard member.online else { return .error(595, "Connection timed out") }
        }
        // A VM is reached through the node it lives on; another node has no config file for it.
        if template.contains("{vmid}"), let vmid, let vm = vms[vmid], vm.node != node { return missing(vmid, node: node) }
        switch (method, template) {
        case ("GET", "/version"):
            return .ok(.object(["version": .string("9.1.3"), "release": .string("9.1"), "repoid": .string("e5010dce")]))
        case ("GET", "/nodes"):
            return .ok(.array(nodes.values.sorted { $0.name < $1.name }.map { member in
                .object(["node": .string(member.name), "status": .string(member.online ? "online" : "offline"), "maxcpu": .number(Double(member.cpus)),
                         "maxmem": .number(Double(member.memoryBytes)), "type": .string("node")])
            }))
        case ("GET", "/nodes/{node}/status"):
            let total = nodes[node]?.memoryBytes ?? 0
            let cpus = nodes[node]?.cpus ?? 0
            let used = vms.values.filter { $0.running && $0.node == node }.reduce(0) { $0 + memoryMiB($1.config) * 1024 * 1024 }
            return .ok(.object([
                "memory": .object(["total": .number(Double(total)), "used": .number(Double(used)), "free": .number(Double(total - used))]),
                "cpuinfo": .object(["cpus": .number(Double(cpus)), "cores": .number(Double(cpus)), "sockets": .number(1), "model": .string("Intel(R) N100")]),
                "pveversion": .string("pve-manager/9.1.3"),
            ]))
        case ("GET", "/cluster/resources"):
            if let type = p["type"], type != "vm" { return .ok(.array([])) }
            return .ok(.array(visibleVMs.map(resource)))
        case ("GET", "/nodes/{node}/qemu"):
            return .ok(.array(visibleVMs.filter { $0.node == node }.map(resource)))
        case ("GET", "/cluster/mapping/pci"):
            return .ok(.array(visiblePCIMappings))
        case ("GET", "/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces"):
            guard let vmid, let vm = vms[vmid] else { return missing(vmid, node: node) }
            return guestAgentInterfaces(vm)
        case ("GET", "/cluster/nextid"):
            let next = (100...).first { vms[$0] == nil } ?? 100
            return .ok(.string(String(next)))
        case ("POST", "/nodes/{node}/qemu"):
            return create(p, on: node)
        case ("GET", "/nodes/{node}/qemu/{vmid}/config"):
            guard let vmid, let vm = vms[vmid] else { return missing(vmid, node: node) }
            var config = vm.config
            if p["current"].map({ ["1", "true"].contains($0) }) != true { config.merge(vm.pending) { $1 } }
            var object = config.mapValues { JSONValue.string($0) }
            for key in Self.numericKeys { if let value = config[key], let number = Double(value) { object[key] = .number(number) } }
            object["digest"] = .string(digest(vm.config))
            if let lock = vm.lock { object["lock"] = .string(lock) }
            return .ok(.object(object))
        case ("GET", "/nodes/{node}/qemu/{vmid}/pending"):
            guard let vmid, let vm = vms[vmid] else { return missing(vmid, node: node) }
            var entries: [JSONValue] = []
            for key in Set(vm.config.keys).union(vm.pending.keys).sorted() {
                var entry: [String: JSONValue] = ["key": .string(key)]
                if let value = vm.config[key] { entry["value"] = .string(value) }
                if let value = vm.pending[key] { entry["pending"] = .string(value) }
                entries.append(.object(entry))
            }
            return .ok(.array(entries))
        case ("POST", "/nodes/{node}/qemu/{vmid}/config"), ("PUT", "/nodes/{node}/qemu/{vmid}/config"):
            return updateConfig(p, async: method == "POST")
        case ("PUT", "/nodes/{node}/qemu/{vmid}/resize"):
            return resize(p)
        case ("GET", "/nodes/{node}/qemu/{vmid}/status/current"):
            guard let vmid, let vm = vms[vmid] else { return missing(vmid, node: node) }
            var object: [String: JSONValue] = ["vmid": .number(Double(vmid)), "status": .string(vm.running ? "running" : "stopped"),
                                               "qmpstatus": .string(vm.running ? "running" : "stopped"), "name": .string(vm.config["name"] ?? ""),
                                               "tags": .string(vm.config["tags"] ?? ""), "cpus": .string(vm.config["cores"] ?? "1"),
                                               "maxmem": .number(Double(memoryMiB(vm.config) * 1024 * 1024)), "agent": .number(1)]
            if let lock = vm.lock { object["lock"] = .string(lock) }
            return .ok(.object(object))
        case ("POST", "/nodes/{node}/qemu/{vmid}/status/start"):
            guard let vmid, let vm = vms[vmid] else { return missing(vmid, node: node) }
            if vm.lock != nil, let refusal = lockRefusal(vmid, p) { return refusal }
            if vm.running { return .error(500, "VM \(vmid) already running") }
            return .ok(startTask(type: "qmstart", id: String(vmid), on: node) { state in
                // QEMU refuses to start what it cannot build: the failure shows in the task.
                if let problem = state.startProblem(vmid) { return problem }
                state.vms[vmid]?.running = true
                return nil
            })
        case ("POST", "/nodes/{node}/qemu/{vmid}/status/stop"), ("POST", "/nodes/{node}/qemu/{vmid}/status/shutdown"):
            guard let vmid, let vm = vms[vmid] else { return missing(vmid, node: node) }
            if vm.lock != nil, let refusal = lockRefusal(vmid, p) { return refusal }
            return .ok(startTask(type: template.hasSuffix("stop") ? "qmstop" : "qmshutdown", id: String(vmid), on: node) { state in
                state.vms[vmid]?.running = false
                // Pending changes take effect when the VM stops.
                if let pending = state.vms[vmid]?.pending {
                    state.vms[vmid]?.config.merge(pending) { $1 }
                    state.vms[vmid]?.pending = [:]
                }
                return nil
            })
        case ("DELETE", "/nodes/{node}/qemu/{vmid}"):
            guard let vmid, let vm = vms[vmid] else { return missing(vmid, node: node) }
            if vm.lock != nil, let refusal = lockRefusal(vmid, p) { return refusal }
            if vm.running { return .error(500, "VM \(vmid) is running - destroy failed") }
            vms[vmid]?.lock = "destroyed"
            return .ok(startTask(type: "qmdestroy", id: String(vmid), on: node) { state in
                state.vms[vmid] = nil
                for key in state.volumes.keys { state.volumes[key] = state.volumes[key]?.filter { !$0.contains("vm-\(vmid)-") } }
                return nil
            })
        case ("GET", "/nodes/{node}/storage"):
            var list: [JSONValue] = []
            for (name, storage) in (nodes[node]?.storages ?? [:]).sorted(by: { $0.key < $1.key }) {
                // Only storages the caller may audit or allocate on are listed.
                if let granted = grantedPrivileges, granted.isDisjoint(with: ["Datastore.Audit", "Datastore.AllocateSpace"]) { continue }
                if let content = p["content"], !storage.content.contains(content) { continue }
                list.append(.object(["storage": .string(name), "type": .string(storage.type), "active": .number(1), "enabled": .number(1),
                                     "shared": .number(storage.shared ? 1 : 0), "content": .string(storage.content.sorted().joined(separator: ","))]))
            }
            return .ok(.array(list))
        case ("GET", "/nodes/{node}/storage/{storage}/content"):
            guard let storage = p["storage"], nodes[node]?.storages[storage] != nil else { return .error(500, "storage '\(p["storage"] ?? "")' does not exist") }
            let list = (volumes[volumeKey(storage, on: node)] ?? []).sorted().filter { volid in
                guard let content = p["content"] else { return true }
                return volid.contains(":\(content)/") || (content == "images" && volid.contains(":vm-"))
            }.map { JSONValue.object(["volid": .string($0), "format": .string($0.hasSuffix(".iso") ? "iso" : "raw"), "size": .number(104_857_600)]) }
            return .ok(.array(list))
        case ("POST", "/nodes/{node}/storage/{storage}/download-url"):
            guard let storage = p["storage"], let info = nodes[node]?.storages[storage] else { return .error(500, "storage '\(p["storage"] ?? "")' does not exist") }
            let content = p["content"] ?? ""
            guard info.content.contains(content) else { return .error(500, "storage '\(storage)' does not support content-type '\(content)'") }
            let volid = "\(storage):\(content)/\(p["filename"] ?? "")"
            let key = volumeKey(storage, on: node)
            return .ok(startTask(type: "download", id: storage, on: node) { state in
                state.volumes[key, default: []].insert(volid)
                return nil
            })
        case ("GET", "/nodes/{node}/tasks/{upid}/status"):
            guard let upid = p["upid"], let task = tasks[upid], task.node == node else { return .error(500, "no such task") }
            var object: [String: JSONValue] = ["upid": .string(task.upid), "node": .string(task.node), "type": .string(task.type),
                                               "id": .string(task.id), "user": .string(tokenID), "pid": .number(1000),
                                               "starttime": .number(task.started.timeIntervalSince1970.rounded()),
                                               "status": .string(task.finished ? "stopped" : "running")]
            if task.finished { object["exitstatus"] = .string(task.exitStatus) }
            return .ok(.object(object))
        case ("GET", "/nodes/{node}/tasks/{upid}/log"):
            guard let upid = p["upid"], let task = tasks[upid], task.node == node else { return .error(500, "no such task") }
            return .ok(.array([.object(["n": .number(1), "t": .string(task.finished ? "TASK \(task.exitStatus)" : "running")])]))
        default:
            return .error(501, "Method '\(method) \(template)' not implemented in the simulator")
        }
    }

    /// The answer to a change of a locked VM; a lock held for a number of refusals is
    /// released after the last one.
    func lockRefusal(_ vmid: Int, _ p: [String: String]) -> SimulatorResponse? {
        guard let vm = vms[vmid], let lock = vm.lock, p["skiplock"] != "1" else { return nil }
        if let left = vm.lockRefusalsLeft {
            if left <= 1 {
                vms[vmid]?.lock = nil
                vms[vmid]?.lockRefusalsLeft = nil
            } else {
                vms[vmid]?.lockRefusalsLeft = left - 1
            }
        }
        return .error(500, "VM is locked (\(lock))")
    }

    /// VMs listed to the caller: only those it has VM.Audit on, as Proxmox filters.
    private var visibleVMs: [SimulatedVM] {
        if let granted = grantedPrivileges, !granted.contains("VM.Audit") { return [] }
        return vms.values.sorted { $0.vmid < $1.vmid }
    }

    private func missing(_ vmid: Int?, node: String) -> SimulatorResponse {
        .error(500, "Configuration file 'nodes/\(node)/qemu-server/\(vmid ?? 0).conf' does not exist")
    }

    private func resource(_ vm: SimulatedVM) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string("qemu/\(vm.vmid)"), "type": .string("qemu"), "vmid": .number(Double(vm.vmid)), "node": .string(vm.node),
            "name": .string(vm.config["name"] ?? "VM \(vm.vmid)"), "status": .string(vm.running ? "running" : "stopped"),
            "template": .number(0), "maxmem": .number(Double(memoryMiB(vm.config) * 1024 * 1024)),
            "maxcpu": .number(Double(Int(vm.config["cores"] ?? "1") ?? 1)),
        ]
        if let tags = vm.config["tags"] { object["tags"] = .string(tags) }
        if let lock = vm.lock { object["lock"] = .string(lock) }
        return .object(object)
    }

    func memoryMiB(_ config: [String: String]) -> Int {
        Int(PropertyString.value("current", in: config["memory"] ?? "512", isDefaultKey: true) ?? "512") ?? 512
    }

    /// Turns create-time drive syntax into stored volumes, the way Proxmox allocates them.
    private func allocateDrives(vmid: Int, on node: String, _ values: inout [String: String]) -> String? {
        var diskIndex = 0
        for key in values.keys.sorted() where ["scsi", "ide", "sata", "virtio"].contains(where: { key.hasPrefix($0) && !key.dropFirst($0.count).isEmpty && key.dropFirst($0.count).allSatisfy(\.isNumber) }) {
            guard let value = values[key] else { continue }
            var items = PropertyString.parse(value)
            guard let fileIndex = items.firstIndex(where: { $0.key == nil || $0.key == "file" || $0.key == "volume" }) else { continue }
            let file = items[fileIndex].value
            let parts = file.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let storage = parts[0]
            guard let info = nodes[node]?.storages[storage] else { return "storage '\(storage)' does not exist" }
            let volumeSet = volumeKey(storage, on: node)
            if parts[1] == "cloudinit" {
                guard info.content.contains("images") else { return "storage '\(storage)' does not support vm images" }
                let volid = "\(storage):vm-\(vmid)-cloudinit"
                volumes[volumeSet, default: []].insert(volid)
                items[fileIndex] = (nil, volid)
                items.append(("media", "cdrom"))
            } else if let size = Double(parts[1]) {
                guard info.content.contains("images") else { return "storage '\(storage)' does not support vm images" }
                while volumes[volumeSet, default: []].contains("\(storage):vm-\(vmid)-disk-\(diskIndex)") { diskIndex += 1 }
                let volid = "\(storage):vm-\(vmid)-disk-\(diskIndex)"
                volumes[volumeSet, default: []].insert(volid)
                items[fileIndex] = (nil, volid)
                items.append(("size", "\(Int(size))G"))
            } else if !(volumes[volumeSet] ?? []).contains(file) {
                return "volume '\(file)' does not exist"
            }
            let first = items[fileIndex]
            var rest = items.enumerated().filter { $0.offset != fileIndex }.map(\.element)
            rest.sort { ($0.key ?? "") < ($1.key ?? "") }
            values[key] = ([first] + rest).map { item in item.key.map { "\($0)=\(item.value)" } ?? item.value }.joined(separator: ",")
        }
        return nil
    }

    private func create(_ p: [String: String], on node: String) -> SimulatorResponse {
        guard let vmid = p["vmid"].flatMap(Int.init) else { return .error(400, "missing vmid") }
        if vms[vmid] != nil { return .error(500, "VM \(vmid) already exists") }
        if let denied = permissionDenied(.object(["check": .array([.string("perm"), .string("/vms/{vmid}"), .array([.string("VM.Allocate")])])]), parameters: p)
            ?? configPrivilegesDenied(vmid: vmid, keys: p, creating: true) {
            return .error(403, "Permission check failed (\(denied.path), \(denied.privilege))")
        }
        var config = p
        for key in ["vmid", "node", "start", "pool", "storage", "unique", "force", "archive"] { config[key] = nil }
        if let refusal = passthroughRefusal(config, on: node) { return refusal }
        if let error = allocateDrives(vmid: vmid, on: node, &config) { return .error(500, "unable to create VM \(vmid) - \(error)") }
        config["smbios1"] = "uuid=\(UUID().uuidString.lowercased())"
        config["vmgenid"] = UUID().uuidString.lowercased()
        config["meta"] = "creation-qemu=9.2.0,ctime=\(Int(Date().timeIntervalSince1970))"
        var vm = SimulatedVM(vmid: vmid, node: node, config: config)
        vm.lock = "create"
        vms[vmid] = vm
        return .ok(startTask(type: "qmcreate", id: String(vmid), on: node) { state in
            state.vms[vmid]?.lock = nil
            return nil
        })
    }

    private func updateConfig(_ p: [String: String], async: Bool) -> SimulatorResponse {
        guard let vmid = p["vmid"].flatMap(Int.init), let vm = vms[vmid] else { return missing(p["vmid"].flatMap(Int.init), node: p["node"] ?? node) }
        if vm.lock != nil, let refusal = lockRefusal(vmid, p) { return refusal }
        if let digest = p["digest"], digest != self.digest(vm.config) {
            return .error(500, "detected modified configuration - file changed by other user? Try again.")
        }
        var changes = p
        for key in ["vmid", "node", "digest", "delete", "skiplock", "background_delay", "force", "revert"] { changes[key] = nil }
        if let denied = configPrivilegesDenied(vmid: vmid, keys: changes, creating: false) {
            return .error(403, "Permission check failed (\(denied.path), \(denied.privilege))")
        }
        if let refusal = passthroughRefusal(changes, on: vm.node) { return refusal }
        if let error = allocateDrives(vmid: vmid, on: vm.node, &changes) { return .error(500, error) }
        let finalChanges = changes
        let deletions = (p["delete"] ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init)
        let apply: @Sendable (SimulatorState) -> String? = { state in
            guard var vm = state.vms[vmid] else { return "VM \(vmid) vanished" }
            for (key, value) in finalChanges {
                if vm.running && !Self.hotKeys.contains(key) { vm.pending[key] = value } else { vm.config[key] = value }
            }
            for key in deletions { vm.config[key] = nil }
            state.vms[vmid] = vm
            return nil
        }
        if async { return .ok(startTask(type: "qmconfig", id: String(vmid), on: vm.node, completion: apply)) }
        _ = apply(self)
        return .ok(.null)
    }

    private func resize(_ p: [String: String]) -> SimulatorResponse {
        guard let vmid = p["vmid"].flatMap(Int.init), let vm = vms[vmid] else { return missing(p["vmid"].flatMap(Int.init), node: p["node"] ?? node) }
        if vm.lock != nil, let refusal = lockRefusal(vmid, p) { return refusal }
        guard let disk = p["disk"], let value = vm.config[disk], let sizeText = p["size"] else { return .error(500, "disk '\(p["disk"] ?? "")' does not exist") }
        let current = PropertyString.value("size", in: value).flatMap(PropertyString.gibibytes) ?? 0
        let requested = sizeText.hasPrefix("+") ? current + (PropertyString.gibibytes(String(sizeText.dropFirst())) ?? 0) : (PropertyString.gibibytes(sizeText) ?? 0)
        if requested < current { return .error(500, "shrinking disks is not supported") }
        return .ok(startTask(type: "resize", id: String(vmid), on: vm.node) { state in
            guard let value = state.vms[vmid]?.config[disk] else { return "disk vanished" }
            let items = PropertyString.parse(value).map { item -> String in
                if item.key == "size" { return "size=\(requested)G" }
                return item.key.map { "\($0)=\(item.value)" } ?? item.value
            }
            state.vms[vmid]?.config[disk] = items.joined(separator: ",")
            return nil
        })
    }
}
