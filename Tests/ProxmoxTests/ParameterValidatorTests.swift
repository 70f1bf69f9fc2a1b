import Foundation
import Proxmox
import ProxmoxSimulator
import Testing

@Suite("The simulator's schema validation")
struct ParameterValidatorTests {
    static func createInfo() throws -> JSONValue? {
        guard let schema = try? ProxmoxSimulator.loadSchema() else { return nil }
        return schema.methods["/nodes/{node}/qemu"]?["POST"]
    }

    @Test("the raw tree flattens to every API path and concrete paths map to templates")
    func flatten() throws {
        guard let schema = try? ProxmoxSimulator.loadSchema() else { print("SKIPPED: no pve-apidoc.json"); return }
        #expect(schema.methods.count == 431, "the 435 nodes of the tree, less the 4 that only group children")
        #expect(schema.match("/nodes/pve/qemu/214/config")?.template == "/nodes/{node}/qemu/{vmid}/config")
        #expect(schema.match("/nodes/pve/qemu/214/config")?.parameters == ["node": "pve", "vmid": "214"])
        #expect(schema.match("/cluster/nextid")?.template == "/cluster/nextid")
        #expect(schema.match("/nodes/pve/tasks/UPID%3Apve%3A1/status")?.parameters["upid"] == "UPID:pve:1")
    }

    @Test("the reference create request is valid")
    func validCreate() throws {
        guard let info = try Self.createInfo() else { print("SKIPPED: no pve-apidoc.json"); return }
        let desired = DesiredVMConfig(spec: Fixtures.input().vms[0], input: Fixtures.input())
        var parameters = desired.createParameters
        parameters["node"] = "pve"
        #expect(ParameterValidator.validate(parameters, against: info) == [:])
    }

    @Test("property strings: unknown sub-keys, bad enum values and a missing default key are rejected",
          arguments: [
            ("net0", "virtio=BC:24:11:00:02:14,bridge=vmbr0,colour=blue"),
            ("net0", "fancynic=BC:24:11:00:02:14,bridge=vmbr0"),
            ("net0", "virtio=not-a-mac,bridge=vmbr0"),
            ("scsi0", "local-lvm:40,discard=maybe"),
            ("scsi0", "discard=on"),
            ("agent", "enabled=perhaps"),
            ("memory", "current=8"),
            ("ipconfig0", "ip=10.0.0.5,gw=10.0.0.1"),
            ("boot", "order=scsi0;floppy0"),
            ("ostype", "beos"),
            ("tags", "homeport;with space!"),
            ("nameserver", "dns.example.com"),
            ("vmid", "99"),
            ("cores", "-"),
          ])
    func rejects(_ key: String, _ value: String) throws {
        guard let info = try Self.createInfo() else { print("SKIPPED: no pve-apidoc.json"); return }
        var parameters = ["node": "pve", "vmid": "214"]
        parameters[key] = value
        let errors = ParameterValidator.validate(parameters, against: info)
        #expect(errors.keys.contains(key), "\(key)=\(value) was accepted")
    }

    @Test("a missing required parameter is reported")
    func required() throws {
        guard let info = try Self.createInfo() else { print("SKIPPED: no pve-apidoc.json"); return }
        #expect(ParameterValidator.validate(["node": "pve"], against: info)["vmid"] == "property is missing and it is not optional")
    }
}
