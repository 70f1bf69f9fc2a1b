import Foundation

/// What can be seen of one node while `up` waits for Talos: the VM's state from Proxmox, the
/// addresses the QEMU guest agent reports through the Proxmox API, and whether the Talos
/// maintenance API answers at the planned address.
public struct BringUpObservation: Sendable, Hashable, Codable {
    public enum Power: String, Sendable, Hashable, Codable {
        case running, stopped, paused, missing
    }

    /// What the guest agent said.
    public enum Agent: Sendable, Hashable, Codable {
        /// It answered; the IPv4 addresses of every interface but loopback (maybe none).
        case addresses([String])
        /// It did not answer; Proxmox's message (e.g. `QEMU guest agent is not running`).
        case silent(String)
        /// Not asked: the VM does not run.
        case notAsked
    }

    public var name: String
    public var node: String
    public var vmid: Int
    public var plannedAddress: String
    public var power: Power
    public var agent: Agent
    public var maintenanceAPI: ProbeResult

    public init(name: String, node: String, vmid: Int, plannedAddress: String, power: Power, agent: Agent, maintenanceAPI: ProbeResult) {
        self.name = name
        self.node = node
        self.vmid = vmid
        self.plannedAddress = plannedAddress
        self.power = power
        self.agent = agent
        self.maintenanceAPI = maintenanceAPI
    }
}

/// Reads ``BringUpObservation``s from Proxmox and probes the maintenance API.
public struct BringUpObserver: Sendable {
    /// The Talos API port; in maintenance mode it answers without client certificates.
    public static let talosAPIPort = 50000

    public let client: ProxmoxClient
    public let input: ProxmoxPlanInput
    public let prober: any AddressProber
    public var port: Int

    public init(client: ProxmoxClient, input: ProxmoxPlanInput, prober: any AddressProber, port: Int = BringUpObserver.talosAPIPort) {
        self.client = client
        self.input = input
        self.prober = prober
        self.port = port
    }

    /// One observation per VM of the input, in its order.
    public func observeAll() async throws -> [BringUpObservation] {
        var observations: [BringUpObservation] = []
        for spec in input.vms { observations.append(try await observe(spec)) }
        return observations
    }

    /// Reads `status/current` and, for a running VM, `agent/network-get-interfaces`.
    public func observe(_ spec: VMSpec) async throws -> BringUpObservation {
        let node = input.host(of: spec)
        let base = "/nodes/\(node)/qemu/\(spec.vmid)"
        let maintenance = await prober.probe(spec.address, port: port)
        var observation = BringUpObservation(name: spec.name, node: node, vmid: spec.vmid, plannedAddress: spec.address,
                                             power: .missing, agent: .notAsked, maintenanceAPI: maintenance)
        let status: JSONValue
        do {
            status = try await client.get("\(base)/status/current")
        } catch ProxmoxError.http(_, _, 500, let message) where message.contains("does not exist") {
            return observation
        }
        switch status["qmpstatus"]?.string ?? status["status"]?.string {
        case "running": observation.power = .running
        case "paused", "suspended", "prelaunch": observation.power = .paused
        default: observation.power = .stopped
        }
        guard observation.power == .running else { return observation }
        do {
            let answer = try await client.get("\(base)/agent/network-get-interfaces")
            observation.agent = .addresses(Self.ipv4Addresses(answer["result"] ?? answer))
        } catch ProxmoxError.http(_, _, 500, let message) {
            observation.agent = .silent(message.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch ProxmoxError.forbidden {
            // Seeing addresses needs VM.GuestAgent.Audit (or .Unrestricted); without it the bring-up still proceeds.
            observation.agent = .silent("the token lacks VM.GuestAgent.Audit on /vms/\(spec.vmid) to ask the guest agent")
        }
        return observation
    }

    /// The IPv4 addresses of every interface except loopback.
    static func ipv4Addresses(_ interfaces: JSONValue) -> [String] {
        (interfaces.array ?? []).flatMap { interface -> [String] in
            guard interface["name"]?.string != "lo" else { return [] }
            return (interface["ip-addresses"]?.array ?? []).compactMap { address in
                guard address["ip-address-type"]?.string == "ipv4", let ip = address["ip-address"]?.string,
                      !ip.hasPrefix("127.") else { return nil }
                return ip
            }
        }
    }
}
