import Crypto
import Foundation
import Proxmox

/// The simulated Proxmox VE cluster: nodes with their storages, PCI mappings, VMs, tasks
/// and locks. Every request is validated against the API schema before it is handled, and
/// rejected the way Proxmox does.
public final class SimulatorState: @unchecked Sendable {
    let schema: APISchema
    let lock = NSLock()
    /// The first node; a one-node simulator has only this one.
    public let node: String
    public let tokenID: String
    let tokenSecret: String
    /// When set, only these privileges are granted (checked from the schema's `permissions`).
    public var grantedPrivileges: Set<String>?
    /// Close every connection after its answer (so each request opens a new one).
    public var closeConnections = false
    /// How long a task runs before it stops.
    public var taskDuration: TimeInterval = 0.03
    var nodes: [String: SimulatedNode]
    /// Volume ids by `node/storage` (local storage) or `storage` (shared storage).
    var volumes: [String: Set<String>] = [:]
    /// PCI resource mappings by id.
    var pciMappings: [String: [SimulatedPCIDevice]] = [:]
    /// How each VM's guest sets up its network once running; `.cloudInit` when not set.
    var guestNetworks: [Int: GuestNetwork] = [:]
    var vms: [Int: SimulatedVM] = [:]
    var tasks: [String: SimulatedTask] = [:]
    var taskCounter = 0
    var faults: [(method: String?, pathContains: String, fault: SimulatedFault, remaining: Int)] = []
    var recorded: [RecordedRequest] = []

    public init(schema: APISchema, node: String = "pve", tokenID: String, tokenSecret: String) {
        self.schema = schema
        self.node = node
        self.tokenID = tokenID
        self.tokenSecret = tokenSecret
        self.nodes = [node: SimulatedNode(name: node)]
    }

    // MARK: Test controls

    /// The first node's memory.
    public var hostMemoryBytes: Int {
        get { locked { nodes[node]?.memoryBytes ?? 0 } }
        set { locked { nodes[node]?.memoryBytes = newValue } }
    }

    /// The first node's CPUs.
    public var hostCPUs: Int {
        get { locked { nodes[node]?.cpus ?? 0 } }
        set { locked { nodes[node]?.cpus = newValue } }
    }

    /// Adds (or replaces) a cluster member.
    public func addNode(_ member: SimulatedNode) { locked { nodes[member.name] = member } }

    /// Changes a member, e.g. takes it offline or removes a storage.
    public func updateNode(_ name: String, _ change: (inout SimulatedNode) -> Void) {
        locked {
            guard var member = nodes[name] else { return }
            change(&member)
            nodes[name] = member
        }
    }

    /// Adds a cluster PCI resource mapping (Datacenter → Resource Mappings).
    public func addPCIMapping(_ id: String, devices: [SimulatedPCIDevice]) { locked { pciMappings[id] = devices } }

    /// Decides what the guest of VM `vmid` does with its network once it runs.
    public func setGuestNetwork(_ behaviour: GuestNetwork, vmid: Int) { locked { guestNetworks[vmid] = behaviour } }

    /// Injects `fault` into the next `times` requests whose path contains `path` (and whose method is `method`).
    public func inject(_ fault: SimulatedFault, method: String? = nil, path: String, times: Int = 1) {
        locked { faults.append((method, path, fault, times)) }
    }

    /// Holds a config lock on a VM until it has refused `refusals` changes.
    public func holdLock(vmid: Int, lock name: String, refusals: Int) {
        locked {
            vms[vmid]?.lock = name
            vms[vmid]?.lockRefusalsLeft = refusals
        }
    }

    /// Holds a config lock on a VM for `seconds`.
    public func holdLock(vmid: Int, lock name: String, seconds: TimeInterval) {
        locked {
            vms[vmid]?.lock = name
            vms[vmid]?.lockUntil = Date().addingTimeInterval(seconds)
        }
    }

    /// Adds a VM directly (a VM someone else made).
    public func addVM(_ vm: SimulatedVM) { locked { vms[vm.vmid] = vm } }

    /// Adds a volume (e.g. an ISO that is already there) on `node` (default: the first node).
    public func addVolume(_ volid: String, on member: String? = nil) {
        locked {
            let storage = String(volid.split(separator: ":")[0])
            volumes[volumeKey(storage, on: member ?? node), default: []].insert(volid)
        }
    }

    /// The volume ids `member` sees.
    public func volumes(on member: String) -> Set<String> {
        locked {
            finishTasks()
            let storages = nodes[member]?.storages.keys.map { $0 } ?? []
            return storages.reduce(into: Set<String>()) { $0.formUnion(volumes[volumeKey($1, on: member)] ?? []) }
        }
    }

    /// Where the volumes of `storage` on `member` are kept: shared storage has one set for all nodes.
    func volumeKey(_ storage: String, on member: String) -> String {
        nodes[member]?.storages[storage]?.shared == true ? storage : "\(member)/\(storage)"
    }

    public var requests: [RecordedRequest] { locked { recorded } }
    public var mutatingRequests: [RecordedRequest] { requests.filter { $0.method != "GET" && $0.status < 300 } }
    public func vm(_ vmid: Int) -> SimulatedVM? { locked { finishTasks(); return vms[vmid] } }
    public var allVMs: [SimulatedVM] { locked { finishTasks(); return vms.values.sorted { $0.vmid < $1.vmid } } }
    public var allVolumes: Set<String> { locked { finishTasks(); return volumes.values.reduce(into: Set<String>()) { $0.formUnion($1) } } }
    public func clearRecorded() { locked { recorded = [] } }

    /// Waits until every task has stopped.
    public func settle() async {
        while locked({ finishTasks(); return tasks.values.contains { !$0.finished } }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Requests

    /// Handles one HTTP request.
    public func handle(method: String, path rawPath: String, query: String, body: String, contentType: String,
                       authorization: String?) -> SimulatorResponse {
        locked {
            finishTasks()
            var response = route(method: method, rawPath: rawPath, query: query, body: body, contentType: contentType, authorization: authorization)
            if response.status >= 400 { response.reason = response.reason.split(separator: "\n").first.map(String.init) ?? response.reason }
            return response
        }
    }

    private func route(method: String, rawPath: String, query: String, body: String, contentType: String,
                       authorization: String?) -> SimulatorResponse {
        guard rawPath.hasPrefix("/api2/json/") else { return .error(501, "Unsupported format") }
        let path = String(rawPath.dropFirst("/api2/json".count))
        var parameters = FormEncoding.decode(method == "GET" || method == "DELETE" ? query : "")
        if method == "POST" || method == "PUT" {
            if contentType.contains("application/json"), let json = JSONValue.parse(Data(body.utf8))?.object {
                for (key, value) in json { parameters[key] = value.string ?? value.jsonText }
            } else {
                parameters.merge(FormEncoding.decode(body)) { $1 }
            }
        }
        let record = { (status: Int, template: String?) in
            self.recorded.append(RecordedRequest(method: method, path: path, template: template, parameters: parameters, status: status))
        }
        guard authorized(authorization) else {
            record(401, nil)
            return .error(401, "authentication failure")
        }
        if let index = faults.firstIndex(where: { ($0.method == nil || $0.method == method) && path.contains($0.pathContains) && $0.remaining > 0 }) {
            faults[index].remaining -= 1
            let fault = faults[index].fault
            if faults[index].remaining == 0 { faults.remove(at: index) }
            switch fault {
            case .status(let status, let message):
                record(status, nil)
                return .error(status, message)
            case .timeout:
                record(0, nil)
                var response = SimulatorResponse.error(504, "withheld")
                response.withhold = true
                return response
            case .failTask(let exit):
                pendingTaskFailure = exit
            }
        }
        defer { pendingTaskFailure = nil }
        guard let matched = schema.match(path), let info = schema.methods[matched.template]?[method] else {
            record(501, nil)
            return .error(501, "Method '\(method) \(path)' not implemented")
        }
        let template = matched.template
        let pathParameters = matched.parameters
        var all = parameters
        all.merge(pathParameters) { _, fromPath in fromPath }
        let errors = ParameterValidator.validate(all, against: info)
        if !errors.isEmpty {
            record(400, template)
            return SimulatorResponse(status: 400, reason: "Parameter verification failed.", body: .object([
                "data": .null, "message": .string("Parameter verification failed.\n"),
                "errors": .object(errors.mapValues { .string($0 + "\n") }),
            ]))
        }
        if let denied = permissionDenied(info["permissions"], parameters: all) {
            record(403, template)
            return .error(403, "Permission check failed (\(denied.path), \(denied.privilege))")
        }
        let response = handleValid(method: method, template: template, parameters: all)
        record(response.status, template)
        return response
    }

    private func authorized(_ header: String?) -> Bool {
        guard let header, header.hasPrefix("PVEAPIToken") else { return false }
        let value = header.dropFirst("PVEAPIToken".count).drop { $0 == "=" || $0 == " " }
        return value == "\(tokenID)=\(tokenSecret)"
    }

    var pendingTaskFailure: String?

    // MARK: Permissions

    /// Evaluates the schema's permission check against the granted privileges.
    func permissionDenied(_ permissions: JSONValue?, parameters: [String: String]) -> (path: String, privilege: String)? {
        guard let granted = grantedPrivileges, let check = permissions?["check"] else { return nil }
        return evaluate(check, granted: granted, parameters: parameters)
    }

    private func evaluate(_ check: JSONValue, granted: Set<String>, parameters: [String: String]) -> (path: String, privilege: String)? {
        guard let items = check.array, let kind = items.first?.string else { return nil }
        switch kind {
        case "perm":
            guard items.count >= 3, let rawPath = items[1].string, let privileges = items[2].array?.compactMap(\.string) else { return nil }
            var path = rawPath
            for (key, value) in parameters { path = path.replacingOccurrences(of: "{\(key)}", with: value) }
            let any = items.count >= 4 && items[3].string == "any"
            if any { return privileges.contains(where: granted.contains) ? nil : (path, privileges.joined(separator: "|")) }
            if let missing = privileges.first(where: { !granted.contains($0) }) { return (path, missing) }
            return nil
        case "and":
            for item in items.dropFirst() { if let denied = evaluate(item, granted: granted, parameters: parameters) { return denied } }
            return nil
        case "or":
            // Denied only when every alternative is; the message names them all.
            var denials: [(path: String, privilege: String)] = []
            for item in items.dropFirst() {
                guard let denied = evaluate(item, granted: granted, parameters: parameters) else { return nil }
                denials.append(denied)
            }
            guard let first = denials.first else { return nil }
            let rest = denials.dropFirst().map { " or \($0.privilege) on \($0.path)" }.joined()
            return (first.path, first.privilege + rest)
        default:
            return nil
        }
    }

    /// The extra checks Proxmox's code makes for VM configuration keys (not in the schema's
    /// `permissions` block): each key needs its VM.Config privilege, new disks need
    /// Datastore.AllocateSpace, a bridge needs SDN.Use.
    func configPrivilegesDenied(vmid: Int, keys: [String: String], creating: Bool) -> (path: String, privilege: String)? {
        guard let granted = grantedPrivileges else { return nil }
        func need(_ privilege: String, _ path: String) -> (path: String, privilege: String)? {
            granted.contains(privilege) ? nil : (path, privilege)
        }
        for (key, value) in keys.sorted(by: { $0.key < $1.key }) {
            let vmPath = "/vms/\(vmid)"
            let denied: (path: String, privilege: String)?
            switch key {
            case "cores", "sockets", "cpu", "vcpus", "cpulimit", "cpuunits", "affinity":
                denied = need("VM.Config.CPU", vmPath)
            case "memory", "balloon", "shares":
                denied = need("VM.Config.Memory", vmPath)
            case "scsihw", "hotplug", "acpi", "kvm", "tablet", "vga", "machine", "bios", "smbios1", "vmgenid":
                denied = need("VM.Config.HWType", vmPath)
            case "ipconfig0", "nameserver", "searchdomain", "ciuser", "cipassword", "sshkeys", "cicustom", "citype":
                denied = need("VM.Config.Cloudinit", vmPath)
            case let drive where drive.hasPrefix("scsi") || drive.hasPrefix("ide") || drive.hasPrefix("sata") || drive.hasPrefix("virtio"):
                let storage = String(value.split(separator: ":").first ?? "")
                if value.contains("cloudinit") {
                    denied = need("VM.Config.Cloudinit", vmPath) ?? need("Datastore.AllocateSpace", "/storage/\(storage)")
                } else if value.contains("media=cdrom") {
                    denied = need("VM.Config.CDROM", vmPath)
                } else {
                    denied = need("VM.Config.Disk", vmPath) ?? need("Datastore.AllocateSpace", "/storage/\(storage)")
                }
            case let net where net.hasPrefix("net"):
                let bridge = PropertyString.value("bridge", in: value) ?? ""
                denied = need("VM.Config.Network", vmPath) ?? need("SDN.Use", "/sdn/zones/localnetwork/\(bridge)")
            case let key where Self.isHostPCIKey(key):
                denied = need("VM.Config.HWType", vmPath)
            case "vmid", "node", "digest", "delete", "skiplock":
                denied = nil
            default:
                denied = need("VM.Config.Options", vmPath)
            }
            if let denied { return denied }
        }
        return nil
    }

    // MARK: Tasks

    struct SimulatedTask {
        var upid: String
        var node: String
        var type: String
        var id: String
        var started: Date
        var finishesAt: Date
        var finished = false
        var exitStatus = "OK"
        var failure: String?
        var completion: @Sendable (SimulatorState) -> String?
    }

    /// Starts a task; `completion` runs when it stops and returns an error text to fail it.
    func startTask(type: String, id: String, on member: String? = nil, completion: @escaping @Sendable (SimulatorState) -> String?) -> JSONValue {
        let node = member ?? self.node
        taskCounter += 1
        let now = Date()
        let start = String(format: "%08X", Int(now.timeIntervalSince1970))
        let upid = "UPID:\(node):\(String(format: "%08X", 1000 + taskCounter)):\(String(format: "%08X", taskCounter * 7)):\(start):\(type):\(id):\(tokenID):"
        tasks[upid] = SimulatedTask(upid: upid, node: node, type: type, id: id, started: now,
                                    finishesAt: now.addingTimeInterval(taskDuration), failure: pendingTaskFailure, completion: completion)
        return .string(upid)
    }

    func finishTasks() {
        let now = Date()
        for upid in tasks.keys.sorted() {
            guard var task = tasks[upid], !task.finished, task.finishesAt <= now else { continue }
            task.finished = true
            if let failure = task.failure {
                task.exitStatus = failure
            } else if let error = task.completion(self) {
                task.exitStatus = error
            }
            tasks[upid] = task
        }
        for (vmid, vm) in vms {
            if let until = vm.lockUntil, until <= now {
                vms[vmid]?.lock = nil
                vms[vmid]?.lockUntil = nil
            }
        }
    }

    func digest(_ config: [String: String]) -> String {
        let text = config.keys.sorted().map { "\($0): \(config[$0] ?? "")" }.joined(separator: "\n")
        return Insecure.SHA1.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
