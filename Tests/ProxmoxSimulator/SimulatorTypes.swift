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
