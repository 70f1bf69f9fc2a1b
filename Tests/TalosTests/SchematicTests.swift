import HomeportCore
import Testing
@testable import Talos

@Suite("Image Factory schematics")
struct SchematicTests {
    @Test("the default schematic has the factory's id")
    func defaultID() {
        #expect(Schematic().canonicalYAML == "customization: {}\n")
        #expect(Schematic().id == "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba")
    }

    @Test("the qemu-guest-agent schematic has the id from Talos's Proxmox guide")
    func guestAgentID() {
        let schematic = Schematic(officialExtensions: ["siderolabs/qemu-guest-agent"])
        #expect(schematic.canonicalYAML == "customization:\n    systemExtensions:\n        officialExtensions:\n            - siderolabs/qemu-guest-agent\n")
        #expect(schematic.id == "ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515")
    }

    @Test("extension order changes the id; URLs use the id and version")
    func orderAndURLs() {
        let a = Schematic(officialExtensions: ["siderolabs/qemu-guest-agent", "siderolabs/iscsi-tools"])
        let b = Schematic(officialExtensions: ["siderolabs/iscsi-tools", "siderolabs/qemu-guest-agent"])
        #expect(a.id != b.id)
        #expect(a.installerImage(talosVersion: "1.13.9") == "factory.talos.dev/nocloud-installer/\(a.id):v1.13.9")
        #expect(a.imageURL(talosVersion: "v1.13.9") == "https://factory.talos.dev/image/\(a.id)/v1.13.9/nocloud-amd64.iso")
        let withArgs = Schematic(officialExtensions: ["siderolabs/qemu-guest-agent"], extraKernelArgs: ["net.ifnames=0"])
        #expect(withArgs.canonicalYAML == "customization:\n    extraKernelArgs:\n        - net.ifnames=0\n    systemExtensions:\n        officialExtensions:\n            - siderolabs/qemu-guest-agent\n")
    }
}

@Suite("schematic files")
struct SchematicFileTests {
    @Test("a commented, two-space schematic file has the same id as its canonical form")
    func parseFile() throws {
        let schematic = try Schematic.parse("""
            # comment
            customization:
              systemExtensions:
                officialExtensions:
                  - siderolabs/qemu-guest-agent
            """, path: "cluster/talos/schematic.yaml")
        #expect(schematic.id == "ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515")
    }

    @Test("unsupported fields are errors with their line")
    func unsupported() {
        let error = #expect(throws: HomeportError.self) {
            try Schematic.parse("customization:\n  systemExtensions:\n    officialExtensions: []\n  secureboot: {}\n", path: "s.yaml")
        }
        #expect(error?.location?.line == 4)
    }
}
