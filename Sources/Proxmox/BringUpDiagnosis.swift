/// What `up` shows per node while it waits for Talos, and, when the wait times out, the likely
/// cause and the next step instead of a bare timeout. Pure: everything comes from one
/// ``BringUpObservation`` (and the DHCP range, when the definition has one).
public struct BringUpDiagnosis: Sendable, Hashable, Codable {
    public enum Cause: String, Sendable, Hashable, Codable {
        /// The maintenance API answers at the planned address: nothing is wrong.
        case ready
        case vmMissing
        case vmStopped
        case vmPaused
        /// The guest agent reports an address, but not the planned one.
        case otherAddress
        /// The guest agent answers but the guest has no IPv4 address at all.
        case noAddress
        /// The VM runs but its guest agent does not answer.
        case agentSilent
        /// The guest has the planned address, yet the maintenance API does not answer.
        case apiSilent
    }

    public var cause: Cause
    /// What was seen, in one sentence.
    public var finding: String
    /// What to do about it.
    public var nextStep: String

    /// The diagnosis of `observation`. `dhcpRange` (first and last address) lets an address
    /// be named as a DHCP lease.
    public static func diagnose(_ observation: BringUpObservation, dhcpRange: (first: String, last: String)? = nil) -> BringUpDiagnosis {
        let vm = "VM \(observation.vmid) (\(observation.name)) on \(observation.node)"
        let planned = observation.plannedAddress
        if observation.maintenanceAPI == .accepted {
            return BringUpDiagnosis(cause: .ready, finding: "the Talos maintenance API answers at \(planned)", nextStep: "none")
        }
        switch observation.power {
        case .missing:
            return BringUpDiagnosis(cause: .vmMissing, finding: "\(vm) does not exist",
                                    nextStep: "run `homeport proxmox apply` (or `homeport up` again); if it was created, someone deleted it")
        case .stopped:
            return BringUpDiagnosis(cause: .vmStopped, finding: "\(vm) is stopped",
                                    nextStep: "open the VM's task history in the Proxmox UI: a failed start (PCI passthrough, memory, missing ISO) is logged there; then start it (`qm start \(observation.vmid)` on \(observation.node))")
        case .paused:
            return BringUpDiagnosis(cause: .vmPaused, finding: "\(vm) is paused (QEMU status), not running",
                                    nextStep: "resume it in the Proxmox UI (`qm resume \(observation.vmid)`); a full storage pauses VMs, so check the disk storage")
        case .running:
            break
        }
        switch observation.agent {
        case .notAsked, .silent:
            let message: String
            if case .silent(let text) = observation.agent { message = ": \(text)" } else { message = "" }
            return BringUpDiagnosis(cause: .agentSilent, finding: "\(vm) runs, but its QEMU guest agent does not answer\(message), so its address is unknown",
                                    nextStep: "open the VM console in the Proxmox UI: Talos prints its addresses there; if it booted, add siderolabs/qemu-guest-agent to talos.extensions so the next bring-up can see them")
        case .addresses(let addresses) where addresses.isEmpty:
            return BringUpDiagnosis(cause: .noAddress, finding: "\(vm) runs and its guest agent answers, but the guest has no IPv4 address at all",
                                    nextStep: "check the network, not Talos: proxmox.bridge must be a bridge with a port on the node LAN, and net0 must carry the VLAN tag that LAN needs (Proxmox UI → VM → Hardware → net0)")
        case .addresses(let addresses) where !addresses.contains(planned):
            let list = addresses.joined(separator: ", ")
            if let leased = addresses.first(where: { Self.isInside($0, dhcpRange) }) ?? (dhcpRange == nil ? addresses.first : nil) {
                let range = dhcpRange.map { " (inside the DHCP range \($0.first)-\($0.last))" } ?? ""
                return BringUpDiagnosis(cause: .otherAddress, finding: "\(vm) took \(leased)\(range) instead of \(planned): the cloud-init network data was not applied, so the guest asked DHCP",
                                        nextStep: "check that the VM boots the nocloud Talos ISO and has its cloud-init drive (ide0) with ipconfig0 ip=\(planned)/…: `qm cloudinit dump \(observation.vmid) network` on \(observation.node); `talosctl -n \(leased) --insecure get addresses` shows what Talos configured")
            }
            return BringUpDiagnosis(cause: .otherAddress, finding: "\(vm) has \(list), not the planned \(planned)",
                                    nextStep: "another network configuration won over cloud-init's; `talosctl -n \(addresses[0]) --insecure get addresses` shows what Talos configured")
        case .addresses:
            return BringUpDiagnosis(cause: .apiSilent, finding: "\(vm) has the planned address \(planned), but nothing answers on the Talos API port",
                                    nextStep: "if Talos was already configured, maintenance mode is over: use `talosctl -n \(planned) version` with the cluster's talosconfig; otherwise check for a firewall or VLAN between this machine and \(planned)")
        }
    }

    /// One line for the per-node view while waiting, e.g.
    /// `talos-cp-1  pve1/214  running  agent: 192.168.1.214  maintenance API: silent`.
    public static func viewLine(_ observation: BringUpObservation) -> String {
        let agent: String
        switch observation.agent {
        case .notAsked: agent = "-"
        case .silent: agent = "not answering"
        case .addresses(let addresses): agent = addresses.isEmpty ? "no address" : addresses.joined(separator: ", ")
        }
        let api = observation.maintenanceAPI == .accepted ? "answers" : "no answer"
        return "\(observation.name)  \(observation.node)/\(observation.vmid)  \(observation.power.rawValue)  agent: \(agent)  maintenance API at \(observation.plannedAddress): \(api)"
    }

    /// The message for a wait that timed out: the diagnosis of every node that is not ready.
    public static func timeoutReport(_ observations: [BringUpObservation], waitedSeconds: Int, dhcpRange: (first: String, last: String)? = nil) -> String {
        var lines = ["Talos did not answer within \(waitedSeconds) s:"]
        for observation in observations {
            let diagnosis = diagnose(observation, dhcpRange: dhcpRange)
            guard diagnosis.cause != .ready else { continue }
            lines.append("  \(observation.name): \(diagnosis.finding)")
            lines.append("    next: \(diagnosis.nextStep)")
        }
        return lines.joined(separator: "\n")
    }

    static func isInside(_ address: String, _ range: (first: String, last: String)?) -> Bool {
        guard let range, let value = ipv4Value(address), let first = ipv4Value(range.first), let last = ipv4Value(range.last) else { return false }
        return first <= value && value <= last
    }

    static func ipv4Value(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt32($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 <= 255 }) else { return nil }
        return parts.reduce(0) { $0 << 8 | $1 }
    }
}
