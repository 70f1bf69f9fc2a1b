import Foundation

/// A Proxmox task id, `UPID:node:pid:pstart:starttime:type:id:user:`.
public struct UPID: Sendable, Hashable, CustomStringConvertible {
    public var raw: String
    public var node: String
    public var type: String
    public var id: String

    /// Parses a UPID; nil when it does not have the nine fields.
    public init?(_ raw: String) {
        let fields = raw.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 9, fields[0] == "UPID", !fields[1].isEmpty else { return nil }
        self.raw = raw
        node = fields[1]
        type = fields[5]
        id = fields[6]
    }

    public var description: String { raw }
}

extension ProxmoxClient {
    /// Sends a request that may start a task (its `data` is a UPID) and waits for the task.
    @discardableResult
    public func runTask(_ method: ProxmoxMethod, _ path: String, _ parameters: [String: String] = [:]) async throws -> String? {
        let data = try await request(method, path, parameters)
        guard let text = data.string, let upid = UPID(text) else { return nil }
        return try await waitForTask(upid)
    }

    /// Polls the task on the node named in its UPID until it stops. Returns the exit status
    /// (`OK` or `WARNINGS: n`); throws ``ProxmoxError/taskFailed(upid:exitStatus:)`` otherwise.
    @discardableResult
    public func waitForTask(_ upid: UPID) async throws -> String {
        let timing = connection.timing
        let deadline = ContinuousClock.now + timing.taskTimeout
        let path = "/nodes/\(FormEncoding.escape(upid.node))/tasks/\(FormEncoding.escape(upid.raw))/status"
        var earlyErrors = 0
        while true {
            let status: JSONValue
            do {
                status = try await get(path)
            } catch ProxmoxError.invalidParameters, ProxmoxError.http(_, _, 400, _) {
                // Right after a task starts its status can briefly answer 400.
                earlyErrors += 1
                if earlyErrors > 10 { throw ProxmoxError.unexpectedResponse(method: "GET", path: path, detail: "the task status keeps failing") }
                try await Task.sleep(for: timing.taskPollInterval)
                continue
            }
            if status["status"]?.string == "stopped" {
                let exit = status["exitstatus"]?.string ?? "unknown"
                if exit == "OK" || exit.hasPrefix("WARNINGS") { return exit }
                throw ProxmoxError.taskFailed(upid: upid.raw, exitStatus: exit)
            }
            guard ContinuousClock.now < deadline else {
                throw ProxmoxError.taskTimeout(upid: upid.raw, seconds: Int(timing.taskTimeout.components.seconds))
            }
            try await Task.sleep(for: timing.taskPollInterval)
        }
    }

    /// Waits until a VM's config has no `lock` (after create, clone, backup, ...).
    public func waitForUnlock(node: String, vmid: Int) async throws {
        let timing = connection.timing
        let deadline = ContinuousClock.now + timing.lockTimeout
        while true {
            let config = try await get("/nodes/\(node)/qemu/\(vmid)/config")
            guard let lock = config["lock"]?.string, !lock.isEmpty else { return }
            guard ContinuousClock.now < deadline else {
                throw ProxmoxError.locked(vmid: vmid, lock: lock, seconds: Int(timing.lockTimeout.components.seconds))
            }
            try await Task.sleep(for: timing.taskPollInterval)
        }
    }
}
