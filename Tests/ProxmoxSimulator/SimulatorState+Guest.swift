import Foundation
import Proxmox

/// PCI passthrough and the guest agent: what Proxmox refuses about `hostpciN`, and what the
/// QEMU guest agent of a running VM reports.
extension SimulatorState {
    /// `GET /cluster/mapping/pci`: only mappings the caller may audit, use or modify are listed.
    var visiblePCIMappings: [JSONValue] {
        pciMappings.keys.sorted().compactMap { id in
            if let granted = grantedPrivileges, granted.isDisjoint(with: ["Mapping.Audit", "Mapping.Use", "Mapping.Modify"]) { return nil }
            let devices = pciMappings[id] ?? []
            return .object(["id": .string(id), "description": .string(""), "map": .array(devices.map { .string($0.mapEntry) })])
        }
    }

    /// The refusal of a config that passes a device through the way Proxmox refuses it: a
    /// mapping must exist and have a device on the VM's node, using it needs Mapping.Use, and
    /// raw host addresses are root@pam's alone.
    func passthroughRefusal(_ config: [String: String], on node: String) -> SimulatorResponse? {
        for key in config.keys.sorted() where Self.isHostPCIKey(key) {
            let value = config[key] ?? ""
            guard let mapping = PropertyString.value("mapping", in: value) else {
                if PropertyString.value("host", in: value, isDefaultKey: true) != nil {
                    return .error(403, "Permission check failed (only root can set '\(key)' config for non-mapped devices)")
                }
                return .error(400, "\(key): either 'host' or 'mapping' must be set.")
            }
            if let granted = grantedPrivileges, !granted.contains("Mapping.Use") {
                return .error(403, "Permission check failed (/mapping/pci/\(mapping), Mapping.Use)")
            }
            if pciMappings[mapping]?.contains(where: { $0.node == node }) != true {
                return .error(500, "PCI device mapping not found for '\(mapping)'")
            }
        }
        return nil
    }

    /// Why QEMU would refuse to start the VM, or nil.
    func startProblem(_ vmid: Int) -> String? {
        guard let vm = vms[vmid] else { return "VM \(vmid) vanished" }
        let machine = PropertyString.value("type", in: vm.config["machine"] ?? "", isDefaultKey: true) ?? ""
        for key in vm.config.keys.sorted() where Self.isHostPCIKey(key) {
            let value = vm.config[key] ?? ""
            if ["1", "true"].contains(PropertyString.value("pcie", in: value) ?? ""), !machine.contains("q35") {
                return "q35 machine model is not enabled"
            }
            if let mapping = PropertyString.value("mapping", in: value), pciMappings[mapping]?.contains(where: { $0.node == vm.node }) != true {
                return "PCI device mapping not found for '\(mapping)'"
            }
        }
        return nil
    }

    static func isHostPCIKey(_ key: String) -> Bool {
        key.hasPrefix("hostpci") && key.count > 7 && key.dropFirst(7).allSatisfy(\.isNumber)
    }

    /// `GET .../agent/network-get-interfaces`, answered from the VM's power state, its agent
    /// setting and what its guest did with the network.
    func guestAgentInterfaces(_ vm: SimulatedVM) -> SimulatorResponse {
        guard vm.running else { return .error(500, "VM \(vm.vmid) is not running") }
        let agent = vm.config["agent"] ?? "0"
        guard ["1", "true"].contains(PropertyString.value("enabled", in: agent, isDefaultKey: true) ?? "0") else {
            return .error(500, "No QEMU guest agent configured")
        }
        let behaviour = guestNetworks[vm.vmid] ?? .cloudInit
        let address: (ip: String, prefix: Int)?
        switch behaviour {
        case .noAgent:
            return .error(500, "QEMU guest agent is not running")
        case .noAddress:
            address = nil
        case .dhcp(let leased):
            address = (leased, 24)
        case .cloudInit:
            let ip = PropertyString.value("ip", in: vm.config["ipconfig0"] ?? "") ?? ""
            let parts = ip.split(separator: "/")
            address = parts.count == 2 ? (String(parts[0]), Int(parts[1]) ?? 24) : nil
        }
        let mac = PropertyString.parse(vm.config["net0"] ?? "").first { $0.value.contains(":") }?.value.lowercased() ?? "bc:24:11:00:00:00"
        func ipv4(_ ip: String, _ prefix: Int) -> JSONValue {
            .object(["ip-address": .string(ip), "ip-address-type": .string("ipv4"), "prefix": .number(Double(prefix))])
        }
        let loopback: JSONValue = .object(["name": .string("lo"), "hardware-address": .string("00:00:00:00:00:00"),
                                           "ip-addresses": .array([ipv4("127.0.0.1", 8)])])
        var ethernet: [String: JSONValue] = ["name": .string("eth0"), "hardware-address": .string(mac)]
        ethernet["ip-addresses"] = .array(address.map { [ipv4($0.ip, $0.prefix)] } ?? [])
        return .ok(.object(["result": .array([loopback, .object(ethernet)])]))
    }
}
