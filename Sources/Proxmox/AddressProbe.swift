import Foundation
import NIOCore
import NIOPosix

/// What a TCP connection attempt to an address and port found.
public enum ProbeResult: String, Sendable, Hashable, Codable {
    /// Something accepted the connection: a service listens there.
    case accepted
    /// A machine answered with a reset: the address is in use, the port is closed.
    case refused
    /// Nothing answered before the timeout (or the network said the host is unreachable).
    case silent

    /// Whether a machine holds the address.
    public var hostAnswers: Bool { self != .silent }
}

/// Asks whether anything answers at an address. `up` uses ``TCPProber``; tests inject their
/// own or probe only loopback.
public protocol AddressProber: Sendable {
    func probe(_ address: String, port: Int) async -> ProbeResult
}

/// A TCP connect with a timeout. No ICMP: raw sockets need privileges, and a reset tells as
/// much as an echo reply does.
public struct TCPProber: AddressProber {
    public var timeout: TimeAmount

    public init(timeout: TimeAmount = .seconds(2)) {
        self.timeout = timeout
    }

    public func probe(_ address: String, port: Int) async -> ProbeResult {
        guard let target = try? SocketAddress(ipAddress: address, port: port) else { return .silent }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(timeout)
        do {
            let channel = try await bootstrap.connect(to: target).get()
            try? await channel.close()
            return .accepted
        } catch {
            return Self.isRefusal(error) ? .refused : .silent
        }
    }

    static func isRefusal(_ error: any Error) -> Bool {
        if let io = error as? IOError { return io.errnoCode == ECONNREFUSED }
        if let connection = error as? NIOConnectionError {
            return connection.connectionErrors.contains { isRefusal($0.error) }
        }
        return false
    }
}

/// The pre-create check: a VM about to be created must not find its planned address taken,
/// or Talos would come up next to another machine holding the same address.
public enum PlannedAddressCheck {
    /// The ports asked: Talos' API (a Talos node already there) and SSH (most other machines).
    /// Any answer, even a reset, means a machine holds the address; a host that drops both
    /// silently is not found (no ICMP without privileges).
    public static let probePorts = [50000, 22]

    /// One problem per VM the plan creates whose planned address already answers.
    public static func problems(plan: VMPlan, input: ProxmoxPlanInput, prober: any AddressProber, ports: [Int] = probePorts) async -> [String] {
        let creating = Set(plan.vms.filter { $0.action == .create }.map(\.vmid))
        var problems: [String] = []
        for spec in input.vms where creating.contains(spec.vmid) {
            for port in ports {
                let result = await prober.probe(spec.address, port: port)
                guard result.hostAnswers else { continue }
                problems.append("\(spec.address), planned for \(spec.name), already answers (TCP port \(port) \(result.rawValue)): another machine holds it; nothing was created: pick a free address in the cluster definition or switch that machine off")
                break
            }
        }
        return problems
    }
}
