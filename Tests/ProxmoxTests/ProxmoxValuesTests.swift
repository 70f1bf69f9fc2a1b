import Foundation
import Proxmox
import Testing

@Suite("Proxmox values: lenient decoding, encodings, ids")
struct ProxmoxValuesTests {
    @Test("numbers as strings and 0/1 booleans decode leniently")
    func lenientDecoding() throws {
        let value = try #require(JSONValue.parse(Data(#"{"data":{"vmid":"104","cores":2,"onboot":1,"agent":"0","memory":"4096","maxmem":4294967296,"name":"x"}}"#.utf8)))
        let data = try #require(value["data"])
        #expect(data["vmid"]?.int == 104)
        #expect(data["cores"]?.int == 2)
        #expect(data["cores"]?.string == "2")
        #expect(data["onboot"]?.bool == true)
        #expect(data["agent"]?.bool == false)
        #expect(data["memory"]?.int == 4096)
        #expect(data["maxmem"]?.int == 4_294_967_296)
        #expect(data["name"]?.int == nil)
        #expect(JSONValue.parse(Data("not json".utf8)) == nil)
    }

    @Test("form encoding escapes property strings and round-trips")
    func formEncoding() {
        let parameters = ["net0": "virtio=BC:24:11:00:02:14,bridge=vmbr0", "boot": "order=scsi0;ide2", "tags": "homeport;prox-n100", "nameserver": "1.1.1.1 8.8.8.8"]
        let encoded = FormEncoding.encode(parameters)
        #expect(encoded.hasPrefix("boot=order%3Dscsi0%3Bide2&nameserver="))
        #expect(!encoded.contains(" ") && !encoded.contains(";") && !encoded.contains(","))
        #expect(FormEncoding.decode(encoded) == parameters)
        #expect(FormEncoding.decode("a=1+2&b=%2B") == ["a": "1 2", "b": "+"])
    }

    @Test("fingerprints normalise to upper-case colon form; bad ones are refused by validation")
    func fingerprints() throws {
        let hex = String(repeating: "ab", count: 32)
        #expect(CertificateFingerprint.normalize(hex) == Array(repeating: "AB", count: 32).joined(separator: ":"))
        #expect(CertificateFingerprint.normalize("AB:CD") == nil)
        #expect(CertificateFingerprint.sha256(der: []) == "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55")
        let url = try #require(URL(string: "https://pve:8006"))
        #expect(throws: ProxmoxError.self) {
            try ProxmoxConnection(endpoint: url, tokenID: "homeport@pve!homeport", tokenSecret: "s", trust: .fingerprint("AB:CD")).validate()
        }
        #expect(throws: ProxmoxError.self) { try ProxmoxConnection(endpoint: url, tokenID: "homeport", tokenSecret: "s").validate() }
        #expect(throws: ProxmoxError.self) { try ProxmoxConnection(endpoint: url, tokenID: "homeport@pve!t", tokenSecret: "").validate() }
        let http = try #require(URL(string: "http://pve:8006"))
        #expect(throws: ProxmoxError.self) { try ProxmoxConnection(endpoint: http, tokenID: "homeport@pve!t", tokenSecret: "s").validate() }
        try ProxmoxConnection(endpoint: url, tokenID: "homeport@pve!t", tokenSecret: "s", trust: .fingerprint(hex)).validate()
    }

    @Test("UPIDs parse into node, type and id")
    func upid() throws {
        let upid = try #require(UPID("UPID:pve:000A1B2C:0012D687:6564A1B2:qmcreate:214:homeport@pve!homeport:"))
        #expect(upid.node == "pve" && upid.type == "qmcreate" && upid.id == "214")
        #expect(UPID("UPID:pve:1") == nil)
        #expect(UPID("VM 214") == nil)
    }

    @Test("403 messages give the ACL path and the privilege")
    func forbiddenText() {
        let error = ProxmoxError.forbidden(method: "POST", path: "/nodes/pve/qemu", privilege: "VM.Allocate", aclPath: "/vms/214", message: "Permission check failed (/vms/214, VM.Allocate)")
        #expect(error.description.contains("lacks the privilege VM.Allocate on /vms/214"))
        let mismatch = ProxmoxError.fingerprintMismatch(expected: "AA:01", actual: "BB:02")
        #expect(mismatch.description.contains("AA:01") && mismatch.description.contains("BB:02") && mismatch.description.contains("no request was sent"))
    }

    @Test("the plan's JSON form lists the actions and changed keys")
    func planJSON() throws {
        let input = Fixtures.input()
        let host = HostInventory(node: "pve", memoryBytes: 16 << 30, cpus: 4, storages: ["local", "local-lvm"], isoPresent: true)
        let inventory = ProxmoxInventory(vms: [], host: host)
        let plan = VMPlan.make(input: input, inventory: inventory)
        let json = try #require(JSONValue.parse(Data(plan.renderJSON().utf8)))
        #expect(json["downloadImage"]?.bool == false)
        #expect(json["hosts"]?.array?.compactMap { $0["node"]?.string } == ["pve"])
        #expect(json["vms"]?.array?.compactMap { $0["node"]?.string } == ["pve", "pve"])
        #expect(json["vms"]?.array?.compactMap { $0["action"]?.string } == ["create", "create"])
        #expect(json["vms"]?.array?.first?["parameters"]?["cpu"]?.string == "host")
        #expect(plan.renderText().contains("create    talos-cp-1 (VMID 214)"))
    }
}
