import ClusterSpec
import HomeportCore
import Manifests
import Testing

/// Several Proxmox hosts: the Proxmox host's own address, etcd quorum across hosts, and what a
/// PCI passthrough needs.
struct PlacementValidationTests {
    /// The fixture with extra nodes appended to `nodes:` (flow style, one per line).
    static func withNodes(_ lines: [String], replacing: [(String, String)] = []) -> String {
        let appended = lines.map { "  - \($0)\n" }.joined()
        return ClusterFixtures.variant(replacing + [("flux:\n  repository", appended + "flux:\n  repository")])
    }

    static func controlPlane(_ index: Int, host: String?) -> String {
        let placement = host.map { ", proxmoxNode: \($0)" } ?? ""
        return "{name: cp-\(index), role: controlplane, address: 10.0.0.\(30 + index), vmid: \(130 + index), cores: 2, memoryMiB: 4096, diskGiB: 40, mac: \"BC:24:11:00:00:\(30 + index)\"\(placement)}"
    }

    @Test func aNodeOnTheProxmoxHostAddressIsRefused() {
        let marked = MarkedText(ClusterFixtures.variant([("address: 10.0.0.21", "address: ↓10.0.0.2")]))
        let loaded = ClusterFixtures.load(marked.text)
        #expect(loaded.issues.map(\.message) == ["nodes[1] (w-1).address 10.0.0.2 is the Proxmox host's address (proxmox.endpoint https://10.0.0.2:8006); give the VM an address of its own"])
        #expect(loaded.issues.first?.mark == marked.marks.first)
        #expect(!loaded.isValid)
    }

    @Test func theVIPOnTheProxmoxHostAddressIsRefused() {
        let marked = MarkedText(ClusterFixtures.variant([("controlPlaneVIP: 10.0.0.10", "controlPlaneVIP: ↓10.0.0.2")]))
        let loaded = ClusterFixtures.load(marked.text)
        #expect(loaded.issues.count == 1, "\(loaded.issues.map(\.message))")
        #expect(loaded.issues.first?.message.contains("network.controlPlaneVIP 10.0.0.2 is the Proxmox host's address") == true)
        #expect(loaded.issues.first?.mark == marked.marks.first)
    }

    @Test func anEndpointGivenAsAHostNameIsNotResolved() {
        // pve.lan might resolve to 10.0.0.2, but validation compares literally and offline.
        let loaded = ClusterFixtures.load(ClusterFixtures.variant([
            ("endpoint: https://10.0.0.2:8006", "endpoint: https://pve.lan:8006"), ("address: 10.0.0.21", "address: 10.0.0.2"),
        ]))
        #expect(loaded.isValid, "\(loaded.issues.map(\.message))")
    }

    @Test func twoOfThreeControlPlanesOnOneHostIsAWarning() {
        let text = Self.withNodes([Self.controlPlane(2, host: nil), Self.controlPlane(3, host: "pve2")])
        let loaded = ClusterFixtures.load(text)
        #expect(loaded.isValid, "a warning does not make the definition invalid: \(loaded.issues.map(\.message))")
        #expect(loaded.warnings.count == 1, "\(loaded.warnings.map(\.message))")
        let warning = loaded.warnings.first
        #expect(warning?.severity == .warning)
        #expect(warning?.message.contains("2 of 3 control planes (nodes[0] (cp-1), nodes[2] (cp-2)) run on Proxmox node pve") == true, "\(warning?.message ?? "")")
        #expect(warning?.message.contains("etcd loses quorum") == true)
        // It points at the second control plane on that host, and reads as a warning.
        #expect(warning?.mark?.line == text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("name: cp-2") }.map { $0 + 1 })
        #expect(warning?.formatted(path: ClusterFixtures.path).contains(": warning: 2 of 3") == true)
    }

    @Test func threeControlPlanesOnThreeHostsAreQuiet() {
        let text = Self.withNodes([Self.controlPlane(2, host: "pve2"), Self.controlPlane(3, host: "pve3")])
        let loaded = ClusterFixtures.load(text)
        #expect(loaded.isValid, "\(loaded.issues.map(\.message))")
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings.map(\.message))")
        #expect(loaded.definition?.nodes.compactMap(\.proxmoxNode) == ["pve2", "pve3"])
    }

    @Test func oneBoxIsNotWarnedAboutQuorum() {
        // Every VM on one host: there is nothing to spread over, so nothing to say.
        let loaded = ClusterFixtures.load(Self.withNodes([Self.controlPlane(2, host: nil), Self.controlPlane(3, host: "pve")]))
        #expect(loaded.isValid, "\(loaded.issues.map(\.message))")
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings.map(\.message))")
    }

    @Test func twoControlPlanesOverTwoHostsAreWarnedAboutTheEvenCount() {
        let loaded = ClusterFixtures.load(Self.withNodes([Self.controlPlane(2, host: "pve2")]))
        #expect(loaded.isValid)
        #expect(loaded.warnings.map(\.message) == ["2 control planes: etcd needs 2 of them, so they survive no more host failures than 1 would; use an odd number (3 across 3 hosts)"])
    }

    @Test func aPassthroughWithoutTheIntelGPUExtensionIsAWarning() {
        let marked = MarkedText(ClusterFixtures.variant([("    mac: \"BC:24:11:00:00:21\"\n", "    mac: \"BC:24:11:00:00:21\"\n    pciMapping: ↓igpu\n")]))
        let loaded = ClusterFixtures.load(marked.text)
        #expect(loaded.isValid)
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.message.contains("nodes[1] (w-1).pciMapping igpu passes a PCI device through, but talos.extensions lacks siderolabs/i915") == true)
        #expect(loaded.warnings.first?.mark == marked.marks.first)

        let withExtension = ClusterFixtures.load(marked.text.replacingOccurrences(
            of: "extensions: [siderolabs/qemu-guest-agent]", with: "extensions: [siderolabs/qemu-guest-agent, siderolabs/i915]"))
        #expect(withExtension.isValid)
        #expect(withExtension.warnings.isEmpty, "\(withExtension.warnings.map(\.message))")
    }
}
