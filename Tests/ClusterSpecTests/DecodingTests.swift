import ClusterSpec
import Manifests
import TestSupport
import Testing

struct DecodingTests {
    @Test func referenceDefinitionIsValidAndDecodesEveryField() throws {
        let text = try #require(ClusterFixtures.referenceText, "config/clusters/prox-n100.yaml is missing")
        let loaded = ClusterFixtures.load(text, path: "config/clusters/prox-n100.yaml")
        #expect(loaded.issues.map { $0.formatted(path: loaded.path) } == [])
        let definition = try #require(loaded.definition)
        #expect(definition.name == "prox-n100")
        #expect(definition.proxmox.tokenID == "homeport@pve!homeport")
        #expect(definition.network.nodeCIDR.description == "192.168.1.0/24")
        #expect(definition.network.loadBalancerPool?.description == "192.168.1.220-192.168.1.229")
        #expect(definition.talos.version == SemanticVersion(major: 1, minor: 14, patch: 0))
        #expect(definition.talos.kubernetesVersion == SemanticVersion(major: 1, minor: 37, patch: 0))
        #expect(definition.talos.allowSchedulingOnControlPlanes)
        #expect(definition.controlPlanes.map(\.name) == ["talos-cp-1"])
        #expect(definition.workers.map(\.address.description) == ["192.168.1.215"])
        #expect(definition.nodes.first?.mac.description == "BC:24:11:00:02:14")
        #expect(definition.nfs?.version == "4.1")
        #expect(definition.controlPlaneEndpoint == "https://192.168.1.210:6443")
        // One N100 with 16 GiB: the VMs leave the host at least 3 GiB.
        #expect(definition.nodes.map(\.memoryMiB).reduce(0, +) <= 13 * 1024)
    }

    @Test func fixtureDecodesWithOptionalFieldsAndMarks() throws {
        let loaded = ClusterFixtures.load(ClusterFixtures.valid)
        #expect(loaded.issues.isEmpty, "\(loaded.issues)")
        let definition = try #require(loaded.definition)
        #expect(definition.proxmox.tokenSecretFile == "infrastructure/proxmox/token.sops.yaml")
        #expect(definition.proxmox.caFile == nil)
        #expect(definition.talos.allowSchedulingOnControlPlanes == false)
        #expect(definition.talos.extensions == ["siderolabs/qemu-guest-agent"])
        #expect(definition.network.dnsServers.map(\.description) == ["10.0.0.1", "1.1.1.1"])
        #expect(definition.nfs?.mountOptions == ["nfsvers=4.1", "hard"])
        #expect(definition.marks.value("network.gateway") == Mark(line: 13, column: 12))
        #expect(definition.marks.key("nodes[1].mac") == Mark(line: 41, column: 5))
        #expect(definition.marks.value("network.dnsServers[1]") == Mark(line: 14, column: 26))
        // An unknown path falls back to the nearest enclosing value.
        #expect(definition.marks.value("nodes[1].nothing") == definition.marks.value("nodes[1]"))
    }

    @Test func emptyOptionalValuesAreAbsent() throws {
        let text = ClusterFixtures.variant([("  bridge: vmbr0\n", "  bridge: vmbr0\n  caFile: \"\"\n  fingerprint:\n")])
        let loaded = ClusterFixtures.load(text)
        #expect(loaded.issues.isEmpty, "\(loaded.issues)")
        #expect(loaded.definition?.proxmox.caFile == nil)
        #expect(loaded.definition?.proxmox.fingerprint == nil)
    }

    @Test func nfsIsOptional() throws {
        let text = ClusterFixtures.variant([("nfs:\n  server: 10.0.0.5\n  path: /volume1/k8s\n  version: \"4.1\"\n  mountOptions: [nfsvers=4.1, hard]\n", "")])
        let loaded = ClusterFixtures.load(text)
        #expect(loaded.isValid, "\(loaded.issues)")
        #expect(loaded.definition?.nfs == nil)
    }

    @Test func missingRequiredKeysAreReportedAtTheirMapping() {
        let marked = MarkedText(ClusterFixtures.variant([
            ("proxmox:\n  endpoint:", "proxmox:\n  ↓endpoint:"),
            ("  bridge: vmbr0\n", ""),
        ]))
        let loaded = ClusterFixtures.load(marked.text)
        #expect(loaded.issues.map(\.mark) == marked.marks)
        #expect(loaded.issues.first?.message == "proxmox has no bridge (a Proxmox bridge, e.g. vmbr0)")
        #expect(loaded.definition == nil)
        #expect(!loaded.isValid)
    }

    @Test func missingSectionsAreEachReported() {
        let loaded = ClusterFixtures.load("name: lab\n")
        let messages = loaded.issues.map(\.message)
        for section in ["domain", "proxmox", "network", "talos", "nodes", "flux"] {
            #expect(messages.contains { $0.hasPrefix("the cluster definition has no \(section) ") }, "\(section): \(messages)")
        }
        #expect(!messages.contains { $0.contains("has no nfs") })
        #expect(loaded.issues.allSatisfy { $0.mark == Mark(line: 1, column: 1) })
    }

    @Test func unknownKeysSuggestTheKnownOne() {
        let marked = MarkedText(ClusterFixtures.variant([
            ("    memoryMiB: 4096\n", "    ↓memory: 4096\n"),
            ("network:\n", "↓netwrok: {}\nnetwork:\n"),
            ("  branch: main\n", "  branch: main\n  ↓interval: 10m\n"),
        ]))
        let loaded = ClusterFixtures.load(marked.text)
        let unknown = loaded.issues.filter { $0.message.hasPrefix("unknown key") }
        #expect(unknown.map(\.mark) == marked.marks)
        #expect(unknown.map(\.message) == [
            "unknown key netwrok; did you mean network?",
            "unknown key nodes[0].memory; did you mean memoryMiB?",
            "unknown key flux.interval; flux has repository, branch, path",
        ])
    }

    @Test(arguments: [
        ("    cores: 2\n", "    cores: ↓\"2\"\n", "nodes[0].cores must be a whole number, found '2'"),
        ("  nodeCIDR: 10.0.0.0/24\n", "  nodeCIDR: ↓[10.0.0.0/24]\n", "network.nodeCIDR must be a CIDR such as 192.168.1.0/24, found a list"),
        ("  dnsServers: [10.0.0.1, 1.1.1.1]\n", "  dnsServers: ↓10.0.0.1\n", "network.dnsServers must be a list of IPv4 addresses such as [192.168.1.1], found '10.0.0.1'"),
        ("  dnsServers: [10.0.0.1, 1.1.1.1]\n", "  dnsServers: [10.0.0.1, ↓one]\n", "network.dnsServers[1]: 'one' is not an IPv4 address such as 192.168.1.10"),
        ("  branch: main\n", "  branch: ↓true\n", "flux.branch must be a Git branch such as main, found a boolean (true)"),
        ("talos:\n  version", "talos:\n  allowSchedulingOnControlPlanes: ↓\"yes\"\n  version", "talos.allowSchedulingOnControlPlanes must be true or false, found 'yes'"),
        ("nodes:\n", "nodes: ↓{cp-1: {}}\nunused:\n", "nodes must be a list of nodes, found a mapping"),
        ("network:\n  nodeCIDR", "network: ↓[]\nunused:\n  nodeCIDR", "network must be a mapping, found a list"),
        ("name: lab\n", "↓name: \nfirst: lab\n", "name is empty; it must be a cluster name (a DNS label such as prox-n100)"),
        ("vmid: 121", "vmid: ↓99999999999999999999", "nodes[1].vmid: '99999999999999999999' is not a decimal whole number that fits in 64 bits"),
        ("domain: lab.example.com", "domain: ↓\(String(repeating: "a", count: 300))", "domain: '\(String(repeating: "a", count: 80))…' (300 characters) is not a DNS name (1 to 253 characters)"),
    ])
    func wrongTypesAreReportedAtTheValue(_ original: String, _ replacement: String, _ message: String) {
        let marked = MarkedText(ClusterFixtures.variant([(original, replacement)]))
        let loaded = ClusterFixtures.load(marked.text)
        let issue = loaded.issues.first { $0.message == message }
        #expect(issue != nil, "\(loaded.issues.map(\.message))")
        #expect(issue?.mark == marked.marks.first)
        #expect(loaded.definition == nil)
    }

    @Test func unparsableAndOddFilesAreIssuesNotCrashes() {
        let broken = ClusterFixtures.load("name: lab\nnodes: [a, b\n")
        #expect(broken.issues.count == 1)
        #expect(broken.issues.first?.kind == .syntax)
        let empty = ClusterFixtures.load("")
        #expect(empty.issues.first?.message.contains("is empty") == true)
        let scalar = ClusterFixtures.load("just text\n")
        #expect(scalar.issues.map(\.message) == ["the cluster definition must be a mapping, found 'just text'"])
        let twoDocuments = ClusterFixtures.load(ClusterFixtures.valid + "---\nname: other\n")
        #expect(twoDocuments.issues.map(\.message) == ["lab.yaml holds 2 YAML documents; a cluster definition is one document (one file per cluster)"])
        let binary = ClusterDefinitionLoader.load(RepoFile(path: ClusterFixtures.path, size: 3, content: .binary))
        #expect(binary.issues.first?.kind == .syntax)
        let unreadable = ClusterDefinitionLoader.load(RepoFile(path: ClusterFixtures.path, size: 0, content: .unreadable("permission denied")))
        #expect(unreadable.issues.first?.kind == .definition)
    }

    @Test func aSecretInTheDefinitionIsNamedButNotEchoed() {
        let value = "5f3c" + "9e2a-1b7d-4c8e"
        let marked = MarkedText(ClusterFixtures.variant([("  tokenID: homeport@pve!homeport\n", "  tokenID: homeport@pve!homeport\n  ↓tokenSecret: \(value)\n")]))
        let loaded = ClusterFixtures.load(marked.text)
        #expect(loaded.issues.map(\.mark) == marked.marks)
        #expect(loaded.issues.first?.message.contains("PROXMOX_TOKEN_SECRET") == true)
        #expect(loaded.issues.allSatisfy { !$0.message.contains(value) })
    }
}

struct DefinitionEqualityTests {
    @Test func whereValuesAreWrittenDoesNotChangeTheDefinition() throws {
        let block = try ClusterFixtures.load(ClusterFixtures.valid).validDefinition()
        let moved = try ClusterFixtures.load("# a comment moves every line\n" + ClusterFixtures.valid).validDefinition()
        #expect(block == moved)
        #expect(block.marks.value("name") != moved.marks.value("name"))
        var changed = moved
        changed.nodes[0].cores = 3
        #expect(block != changed)
    }
}
