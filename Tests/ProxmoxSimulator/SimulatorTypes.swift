import Foundation
import Proxmox

/// A fault the simulator injects into matching requests.
public enum SimulatedFault: Sendable, Hashable {
    /// Answer with this status and message instead of handling the request.
    case status(Int, String)
    /// Never answer (the client's timeout has to fire).
    case timeout
    /// Handle the request, but make the task it starts fail with this exit status.
    case failTask(String)
}

/// One recorded request.
public struct RecordedRequest: Sendable, Hashable {
    public var method: String
    public var path: String
    public var template: String?
    public var parameters: [String: String]
    public var status: Int
}

/// One VM inside the simulator.
public struct SimulatedVM: Sendable, Hashable {
    public var vmid: Int
    public var node: String
    public var config: [String: String]
    public var pending: [String: String] = [:]
    public var running = false
    public var lock: String?
    public var lockUntil: Date?
    /// When set, the lock goes away after refusing this many changes.
    public var lockRefusalsLeft: Int?

    public init(vmid: Int, node: String, config: [String: String], running: Bool = false) {
        self.vmid = vmid
        self.node = node
        self.config = config
        self.running = running
    }
}

/// An HTTP answer from the simulator.
public struct SimulatorResponse: Sendable {
    public var status: Int
    public var reason: String
    public var body: JSONValue
    /// True when no answer is to be sent (timeout fault).
    public var withhold = false

    static func ok(_ data: JSONValue) -> SimulatorResponse {
        SimulatorResponse(status: 200, reason: "OK", body: .object(["data": data]))
    }

    static func error(_ status: Int, _ message: String) -> SimulatorResponse {
        SimulatorResponse(status: status, reason: message, body: .object(["data": .null, "message": .string(message + "\n")]))
    }
}

/// A storage as one node sees it.
public struct SimulatedStorage: Sendable, Hashable {
    public var type: String
    public var content: Set<String>
    /// Shared storage (NFS, CephFS, ...) has the same volumes on every node that has it.
    public var shared: Bool

    public init(type: String, content: Set<String>, shared: Bool = false) {
        self.type = type
        self.content = content
        self.shared = shared
    }

    /// `local`: a directory for ISOs, templates, backups and snippets.
    public static let localDirectory = SimulatedStorage(type: "dir", content: ["iso", "vztmpl", "backup", "snippets"])
    /// `local-lvm`: thin LVM for disks.
    public static let localThinLVM = SimulatedStorage(type: "lvmthin", content: ["images", "rootdir"])
}

/// One member of the simulated Proxmox cluster.
public struct SimulatedNode: Sendable, Hashable {
    public var name: String
    public var memoryBytes: Int
    public var cpus: Int
    public var online: Bool
    public var storages: [String: SimulatedStorage]

    public init(name: String, memoryBytes: Int = 16 * 1024 * 1024 * 1024, cpus: Int = 4, online: Bool = true,
                storages: [String: SimulatedStorage] = ["local": .localDirectory, "local-lvm": .localThinLVM]) {
        self.name = name
        self.memoryBytes = memoryBytes
        self.cpus = cpus
        self.online = online
        self.storages = storages
    }
}

/// What the guest inside a running VM does with its network, as the QEMU guest agent then
/// reports it through `/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces`.
public enum GuestNetwork: Sendable, Hashable {
    /// Cloud-init's network data was applied: the address of the VM's `ipconfig0`.
    case cloudInit
    /// Cloud-init's network data was not applied: the guest took this address from DHCP.
    case dhcp(String)
    /// The link never came up (wrong bridge or VLAN): only loopback has an address.
    case noAddress
    /// The guest agent does not run (no qemu-guest-agent extension, or still booting).
    case noAgent
}

/// One node's device in a cluster PCI resource mapping.
public struct SimulatedPCIDevice: Sendable, Hashable {
    public var node: String
    /// `0000:00:02.0`
    public var path: String
    /// `vendor:device`, e.g. `8086:46d1`.
    public var id: String

    public init(node: String, path: String, id: String) {
        self.node = node
        self.path = path
        self.id = id
    }

    var mapEntry: String { "id=\(id),node=\(node),path=\(path)" }
}
