import ClusterSpec
import Manifests
import Testing

/// One broken variant of the fixture: the `↓` in a replacement marks where the single issue
/// must point, and the message must contain `fragment`.
struct ValidationCase: CustomTestStringConvertible, Sendable {
    let label: String
    let replacements: [(String, String)]
    let fragment: String
    var path = ClusterFixtures.path

    init(_ label: String, _ replacements: [(String, String)], _ fragment: String, path: String = ClusterFixtures.path) {
        self.label = label
        self.replacements = replacements
        self.fragment = fragment
        self.path = path
    }

    init(_ label: String, _ original: String, _ replacement: String, _ fragment: String) {
        self.init(label, [(original, replacement)], fragment)
    }

    var testDescription: String { label }
}

struct ValidationTests {
    static let cases: [ValidationCase] = [
        // uniqueness
        .init("duplicate node name", "  - name: w-1\n", "  - name: ↓cp-1\n", "nodes[1] (cp-1).name cp-1 is already used by nodes[0] (cp-1)"),
        .init("duplicate address", "address: 10.0.0.21", "address: ↓10.0.0.11", "nodes[1] (w-1).address 10.0.0.11 is already used by nodes[0] (cp-1)"),
        .init("duplicate VMID", "vmid: 121", "vmid: ↓111", "vmid 111 is already used"),
        .init("duplicate MAC", "mac: \"BC:24:11:00:00:21\"", "mac: ↓\"bc:24:11:00:00:11\"", "mac BC:24:11:00:00:11 is already used"),
        // addresses
        .init("node outside the node CIDR", "address: 10.0.0.21", "address: ↓10.0.1.21", "is outside network.nodeCIDR 10.0.0.0/24"),
        .init("node on the gateway", "address: 10.0.0.21", "address: ↓10.0.0.1", "is the gateway's address"),
        .init("node on the network address", "address: 10.0.0.21", "address: ↓10.0.0.0", "is the network address of 10.0.0.0/24"),
        .init("node on the broadcast address", "address: 10.0.0.21", "address: ↓10.0.0.255", "is the broadcast address of 10.0.0.0/24"),
        .init("node inside the DHCP range", "address: 10.0.0.21", "address: ↓10.0.0.150", "is inside network.dhcpRange"),
        .init("VIP outside the node CIDR", "controlPlaneVIP: 10.0.0.10", "controlPlaneVIP: ↓192.168.1.10", "network.controlPlaneVIP 192.168.1.10 is outside"),
        .init("VIP is a node address", "controlPlaneVIP: 10.0.0.10", "controlPlaneVIP: ↓10.0.0.21", "is nodes[1] (w-1)'s address"),
        .init("VIP on the gateway", "controlPlaneVIP: 10.0.0.10", "controlPlaneVIP: ↓10.0.0.1", "network.controlPlaneVIP 10.0.0.1 is the gateway's address"),
        .init("VIP inside the DHCP range", "controlPlaneVIP: 10.0.0.10", "controlPlaneVIP: ↓10.0.0.199", "network.controlPlaneVIP 10.0.0.199 is inside network.dhcpRange"),
        .init("gateway outside the node CIDR", "gateway: 10.0.0.1", "gateway: ↓10.0.9.1", "network.gateway 10.0.9.1 is outside network.nodeCIDR"),
        .init("gateway on the broadcast address", "gateway: 10.0.0.1", "gateway: ↓10.0.0.255", "is the broadcast address"),
        .init("node CIDR with host bits", "nodeCIDR: 10.0.0.0/24", "nodeCIDR: ↓10.0.0.1/24", "has host bits set; the network is 10.0.0.0/24"),
        // overlapping ranges
        .init("pod and service CIDRs overlap", "serviceCIDR: 10.96.0.0/12", "serviceCIDR: ↓10.244.128.0/20", "network.serviceCIDR 10.244.128.0/20 overlaps network.podCIDR"),
        .init("pod CIDR overlaps the LAN", "podCIDR: 10.244.0.0/16", "podCIDR: ↓10.0.0.0/16", "network.podCIDR 10.0.0.0/16 overlaps network.nodeCIDR"),
        .init("service CIDR overlaps the LAN", "serviceCIDR: 10.96.0.0/12", "serviceCIDR: ↓10.0.0.0/12", "network.serviceCIDR 10.0.0.0/12 overlaps network.nodeCIDR"),
        .init("LB pool outside the node CIDR", "loadBalancerPool: 10.0.0.220-10.0.0.229", "loadBalancerPool: ↓10.0.0.250-10.0.1.5", "is not inside network.nodeCIDR"),
        .init("LB pool holds a node", "loadBalancerPool: 10.0.0.220-10.0.0.229", "loadBalancerPool: ↓10.0.0.20-10.0.0.29", "contains nodes[1] (w-1)'s address 10.0.0.21"),
        .init("LB pool holds the VIP", "loadBalancerPool: 10.0.0.220-10.0.0.229", "loadBalancerPool: ↓10.0.0.9-10.0.0.10", "contains network.controlPlaneVIP 10.0.0.10"),
        .init("LB pool holds the gateway", "loadBalancerPool: 10.0.0.220-10.0.0.229", "loadBalancerPool: ↓10.0.0.1-10.0.0.3", "contains the gateway 10.0.0.1"),
        .init("LB pool overlaps DHCP", "loadBalancerPool: 10.0.0.220-10.0.0.229", "loadBalancerPool: ↓10.0.0.190-10.0.0.209", "overlaps network.dhcpRange"),
        .init("DHCP range outside the LAN", "dhcpRange: 10.0.0.100-10.0.0.199", "dhcpRange: ↓10.0.5.100-10.0.5.199", "network.dhcpRange 10.0.5.100-10.0.5.199 is not inside network.nodeCIDR"),
        .init("DHCP range reversed", "dhcpRange: 10.0.0.100-10.0.0.199", "dhcpRange: ↓10.0.0.199-10.0.0.100", "ends before it starts"),
        .init("NFS server on a node", "server: 10.0.0.5", "server: ↓10.0.0.11", "nfs.server 10.0.0.11 is nodes[0] (cp-1)'s address"),
        // nodes
        .init("no control plane", [("  - name: cp-1\n", "  ↓- name: cp-1\n"), ("role: controlplane", "role: worker")], "nodes has no control plane"),
        .init("unknown role", "role: controlplane", "role: ↓master", "'master' is not a node role; use controlplane or worker"),
        .init("control plane with one core", "    cores: 2\n", "    cores: ↓1\n", "nodes[0] (cp-1).cores 1 is below the Talos minimum of 2 for a control plane"),
        .init("control plane under 2 GiB", "memoryMiB: 4096", "memoryMiB: ↓2000", "memoryMiB 2000 is below the Talos minimum of 2048 MiB for a control plane"),
        .init("worker under 1 GiB", "memoryMiB: 2048", "memoryMiB: ↓1000", "memoryMiB 1000 is below the Talos minimum of 1024 MiB for a worker"),
        .init("worker without cores", "    cores: 1\n", "    cores: ↓0\n", "nodes[1] (w-1).cores 0 is below the Talos minimum of 1 for a worker"),
        .init("disk under 10 GiB", [("    diskGiB: 40\n    mac: \"BC:24:11:00:00:21\"", "    diskGiB: ↓9\n    mac: \"BC:24:11:00:00:21\"")], "diskGiB 9 is below the Talos minimum of 10 GiB"),
        .init("VMID below 100", "vmid: 121", "vmid: ↓99", "vmid 99 is outside the VM ids Proxmox accepts"),
        .init("VMID above the maximum", "vmid: 121", "vmid: ↓1000000000", "vmid 1000000000 is outside"),
        .init("malformed MAC", "mac: \"BC:24:11:00:00:21\"", "mac: ↓\"BC:24:11:00:21\"", "is not a MAC address"),
        .init("multicast MAC", "mac: \"BC:24:11:00:00:21\"", "mac: ↓\"01:24:11:00:00:21\"", "is a multicast MAC address"),
        .init("node name not a DNS label", "  - name: w-1\n", "  - name: ↓Worker_1\n", "nodes[1].name: 'Worker_1' is not a DNS label"),
        // versions
        .init("Talos version does not parse", "version: v1.13.9", "version: ↓v1.13", "talos.version: 'v1.13' is not a version"),
        .init("Kubernetes version does not parse", "kubernetesVersion: v1.36.3", "kubernetesVersion: ↓latest", "talos.kubernetesVersion: 'latest' is not a version"),
        .init("Talos release unknown", "version: v1.13.9", "version: ↓v1.10.4", "Talos v1.10 is not a release homeport knows"),
        .init("Kubernetes too new for Talos", "kubernetesVersion: v1.36.3", "kubernetesVersion: ↓v1.37.0", "Kubernetes v1.37.0 is not supported by Talos v1.13, which runs Kubernetes v1.31 to v1.36"),
        .init("Kubernetes too old for Talos", "kubernetesVersion: v1.36.3", "kubernetesVersion: ↓v1.30.14", "Kubernetes v1.30.14 is not supported by Talos v1.13"),
        // names, URLs, paths
        .init("cluster name is not the file name", "name: lab\n", "name: ↓lab2\n", "name 'lab2' differs from the file name 'lab'"),
        .init("cluster name not a DNS label", "name: lab\n", "name: ↓Lab\n", "name: 'Lab' is not a DNS label"),
        .init("domain not a DNS name", "domain: lab.example.com", "domain: ↓lab..example.com", "is not a DNS name"),
        .init("Proxmox endpoint over http", "endpoint: https://10.0.0.2:8006", "endpoint: ↓http://10.0.0.2:8006", "must use https"),
        .init("Proxmox endpoint with a path", "endpoint: https://10.0.0.2:8006", "endpoint: ↓https://10.0.0.2:8006/api2/json", "without a path"),
        .init("malformed token id", "tokenID: homeport@pve!homeport", "tokenID: ↓homeport", "is not a Proxmox API token id"),
        .init("malformed fingerprint", "  bridge: vmbr0\n", "  bridge: vmbr0\n  fingerprint: ↓AA:BB\n", "is not a SHA-256 fingerprint"),
        .init("Flux path empty", "path: cluster/kubernetes/flux", "↓path: \"\"", "flux.path is empty"),
        .init("Flux path absolute", "path: cluster/kubernetes/flux", "path: ↓/cluster/kubernetes/flux", "must be relative to the repository root"),
        .init("Flux path escapes the repository", "path: cluster/kubernetes/flux", "path: ↓../elsewhere", "must stay inside the repository"),
        .init("Flux repository in scp form", "repository: ssh://git@github.com/me/homelab.git", "repository: ↓git@github.com:me/homelab.git", "scp-style"),
        .init("install disk not a device", "installDisk: /dev/sda", "installDisk: ↓sda", "is not a disk device"),
        .init("NFS export relative", "path: /volume1/k8s", "path: ↓volume1/k8s", "must be an absolute path"),
        .init("NFS version unknown", "version: \"4.1\"", "version: ↓\"5\"", "is not an NFS version"),
        // secrets
        .init("a token secret", "  tokenID: homeport@pve!homeport\n", "  tokenID: homeport@pve!homeport\n  ↓tokenSecret: abc\n", "PROXMOX_TOKEN_SECRET"),
        .init("a password", "  bridge: vmbr0\n", "  bridge: vmbr0\n  ↓password: abc\n", "looks like a secret"),
    ]

    @Test(arguments: cases)
    func eachProblemIsOneIssueAtTheOffendingValue(_ validationCase: ValidationCase) {
        let marked = MarkedText(ClusterFixtures.variant(validationCase.replacements))
        #expect(marked.marks.count == 1, "the case must mark one place")
        let loaded = ClusterFixtures.load(marked.text, path: validationCase.path)
        #expect(loaded.issues.count == 1, "\(loaded.issues.map { $0.formatted(path: loaded.path) })")
        #expect(loaded.issues.first?.mark == marked.marks.first, "\(loaded.issues.map { $0.formatted(path: loaded.path) })")
        #expect(loaded.issues.first?.message.contains(validationCase.fragment) == true, "\(loaded.issues.map(\.message))")
        #expect(!loaded.isValid)
    }

    @Test func theFixtureItselfIsValid() {
        let loaded = ClusterFixtures.load(ClusterFixtures.valid)
        #expect(loaded.isValid, "\(loaded.issues.map(\.message))")
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let text = ClusterFixtures.variant([
            ("address: 10.0.0.21", "address: 10.0.0.11"),
            ("memoryMiB: 2048", "memoryMiB: 512"),
            ("serviceCIDR: 10.96.0.0/12", "serviceCIDR: 10.244.0.0/24"),
            ("kubernetesVersion: v1.36.3", "kubernetesVersion: v1.20.0"),
        ])
        let loaded = ClusterFixtures.load(text)
        #expect(loaded.issues.count == 4, "\(loaded.issues.map(\.message))")
        let lines = loaded.issues.compactMap { $0.mark?.line }
        #expect(lines == lines.sorted(), "issues come in file order")
    }

    @Test func validDefinitionThrowsWithEveryIssue() {
        let loaded = ClusterFixtures.load(ClusterFixtures.variant([("gateway: 10.0.0.1", "gateway: 10.0.9.1")]))
        #expect(throws: (any Error).self) { try loaded.validDefinition() }
        do {
            _ = try loaded.validDefinition()
        } catch {
            #expect("\(error)".contains("config/clusters/lab.yaml:13:12: error: network.gateway 10.0.9.1 is outside"))
        }
    }

    @Test func severalControlPlanesAndPlacementFieldsAreAccepted() throws {
        let text = ClusterFixtures.variant([
            ("  - name: w-1\n    role: worker\n", "  - name: cp-2\n    role: controlplane\n    proxmoxNode: pve2\n    pciMapping: igpu\n"),
            ("    cores: 1\n", "    cores: 2\n"),
        ])
        let loaded = ClusterFixtures.load(text)
        #expect(loaded.isValid, "\(loaded.issues.map(\.message))")
        #expect(loaded.definition?.controlPlanes.count == 2)
        #expect(loaded.definition?.nodes.last?.proxmoxNode == "pve2")
        #expect(loaded.definition?.nodes.last?.pciMapping == "igpu")
    }
}
