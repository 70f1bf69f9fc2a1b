import Manifests

/// Reads a cluster definition's YAML tree into a ``DraftDefinition``, reporting wrong types,
/// unknown keys, missing required keys and malformed values at their marks.
enum ClusterDefinitionDecoder {
    static let rootKeys = ["name", "domain", "proxmox", "network", "talos", "nodes", "flux", "nfs", "alerts"]
    static let proxmoxKeys = ["endpoint", "node", "tokenID", "tokenSecretFile", "caFile", "fingerprint", "storage", "imageStorage", "bridge"]
    static let networkKeys = ["nodeCIDR", "gateway", "dnsServers", "controlPlaneVIP", "podCIDR", "serviceCIDR", "loadBalancerPool", "dhcpRange"]
    static let talosKeys = ["version", "kubernetesVersion", "extensions", "installDisk", "allowSchedulingOnControlPlanes"]
    static let nodeKeys = ["name", "role", "address", "vmid", "cores", "memoryMiB", "diskGiB", "mac", "proxmoxNode", "pciMapping"]
    static let fluxKeys = ["repository", "branch", "path"]
    static let nfsKeys = ["server", "path", "version", "mountOptions"]
    static let alertsKeys = ["receiver", "heartbeatURL", "email"]
    static let emailKeys = ["to", "from", "smarthost"]

    static func decode(_ root: YAMLNode, state: DecodingState) -> DraftDefinition {
        var draft = DraftDefinition()
        guard let reader = MappingReader(root, path: "", knownKeys: rootKeys, state: state) else {
            state.isComplete = false
            return draft
        }
        draft.name = reader.required("name", .text("a cluster name (a DNS label such as prox-n100)", TextFormats.dnsLabel))
        draft.domain = reader.required("domain", .text("a DNS domain such as example.com", TextFormats.dnsName))
        if let section = requiredSection(reader, "proxmox", "the Proxmox VE API and placement", proxmoxKeys) {
            draft.proxmox = decodeProxmox(section)
        }
        if let section = requiredSection(reader, "network", "the address plan", networkKeys) {
            draft.network = decodeNetwork(section)
        }
        if let section = requiredSection(reader, "talos", "Talos and Kubernetes versions", talosKeys) {
            draft.talos = decodeTalos(section)
        }
        decodeNodes(reader, into: &draft)
        if let section = requiredSection(reader, "flux", "the Git repository Flux syncs", fluxKeys) {
            draft.flux = decodeFlux(section)
        }
        if let node = reader.node("nfs"), !DecodingState.isEmpty(node) {
            if let section = MappingReader(node, path: "nfs", knownKeys: nfsKeys, state: state) {
                draft.nfs = decodeNFS(section)
            } else {
                state.isComplete = false
            }
        }
        if let node = reader.node("alerts"), !DecodingState.isEmpty(node) {
            if let section = MappingReader(node, path: "alerts", knownKeys: alertsKeys, state: state) {
                draft.alerts = decodeAlerts(section)
            } else {
                state.isComplete = false
            }
        }
        return draft
    }

    private static func requiredSection(_ reader: MappingReader, _ key: String, _ purpose: String, _ keys: [String]) -> MappingReader? {
        guard let node = reader.node(key), !DecodingState.isEmpty(node) else {
            reader.reportMissing(key, purpose)
            return nil
        }
        guard let section = MappingReader(node, path: key, knownKeys: keys, state: reader.state) else {
            reader.state.isComplete = false
            return nil
        }
        return section
    }

    private static func decodeProxmox(_ reader: MappingReader) -> DraftProxmox {
        DraftProxmox(
            endpoint: reader.required("endpoint", .text("the Proxmox API URL, e.g. https://192.168.1.10:8006", TextFormats.httpsEndpoint)),
            node: reader.required("node", .text("the Proxmox node name, e.g. pve", TextFormats.proxmoxIdentifier)),
            tokenID: reader.required("tokenID", .text("an API token id such as homeport@pve!homeport", TextFormats.tokenID)),
            tokenSecretFile: reader.optional("tokenSecretFile", .text("a path in the repository", TextFormats.repositoryPath)),
            caFile: reader.optional("caFile", .text("a path in the repository", TextFormats.repositoryPath)),
            fingerprint: reader.optional("fingerprint", .text("a SHA-256 fingerprint (AA:BB:…)", TextFormats.fingerprint)),
            storage: reader.required("storage", .text("a Proxmox storage id, e.g. local-lvm", TextFormats.proxmoxIdentifier)),
            imageStorage: reader.required("imageStorage", .text("a Proxmox storage id for ISO images, e.g. local", TextFormats.proxmoxIdentifier)),
            bridge: reader.required("bridge", .text("a Proxmox bridge, e.g. vmbr0", TextFormats.proxmoxIdentifier)))
    }

    private static func decodeNetwork(_ reader: MappingReader) -> DraftNetwork {
        DraftNetwork(
            nodeCIDR: reader.required("nodeCIDR", .network),
            gateway: reader.required("gateway", .ipv4),
            dnsServers: reader.required("dnsServers", .list(of: .ipv4, "a list of IPv4 addresses such as [192.168.1.1]")),
            controlPlaneVIP: reader.required("controlPlaneVIP", .ipv4),
            podCIDR: reader.required("podCIDR", .network),
            serviceCIDR: reader.required("serviceCIDR", .network),
            loadBalancerPool: reader.optional("loadBalancerPool", .range),
            dhcpRange: reader.optional("dhcpRange", .range))
    }

    private static func decodeTalos(_ reader: MappingReader) -> DraftTalos {
        DraftTalos(
            version: reader.required("version", .version),
            kubernetesVersion: reader.required("kubernetesVersion", .version),
            extensions: reader.optional("extensions", .list(of: .text("a system extension name", TextFormats.extensionName), "a list of system extensions such as [siderolabs/qemu-guest-agent]")),
            installDisk: reader.required("installDisk", .text("a disk device such as /dev/sda", TextFormats.diskDevice)),
            allowSchedulingOnControlPlanes: reader.optional("allowSchedulingOnControlPlanes", .boolean))
    }

    private static func decodeNodes(_ reader: MappingReader, into draft: inout DraftDefinition) {
        let state = reader.state
        guard let node = reader.node("nodes"), !DecodingState.isEmpty(node) else {
            reader.reportMissing("nodes", "the list of Talos nodes")
            return
        }
        guard let sequence = node.sequence else {
            state.report("nodes must be a list of nodes, found \(DecodingState.describe(node))", at: node.mark)
            state.isComplete = false
            return
        }
        draft.hasNodeList = true
        for (index, item) in sequence.items.enumerated() {
            let path = "nodes[\(index)]"
            guard let nodeReader = MappingReader(item, path: path, knownKeys: nodeKeys, state: state) else {
                state.isComplete = false
                continue
            }
            draft.nodes.append(DraftNode(
                path: path,
                name: nodeReader.required("name", .text("a node name (a DNS label such as talos-cp-1)", TextFormats.dnsLabel)),
                role: nodeReader.required("role", .role),
                address: nodeReader.required("address", .ipv4),
                vmid: nodeReader.required("vmid", .integer),
                cores: nodeReader.required("cores", .integer),
                memoryMiB: nodeReader.required("memoryMiB", .integer),
                diskGiB: nodeReader.required("diskGiB", .integer),
                mac: nodeReader.required("mac", .mac),
                proxmoxNode: nodeReader.optional("proxmoxNode", .text("a Proxmox node name", TextFormats.proxmoxIdentifier)),
                pciMapping: nodeReader.optional("pciMapping", .text("a Proxmox PCI resource mapping id", TextFormats.proxmoxIdentifier))))
        }
    }

    private static func decodeFlux(_ reader: MappingReader) -> DraftFlux {
        DraftFlux(
            repository: reader.required("repository", .text("a Git URL such as ssh://git@github.com/OWNER/homelab.git", TextFormats.gitURL)),
            branch: reader.required("branch", .text("a Git branch such as main", TextFormats.branchName)),
            path: reader.required("path", .text("the folder Flux reconciles, relative to the repository root", TextFormats.repositoryPath)))
    }

    private static func decodeNFS(_ reader: MappingReader) -> DraftNFS {
        DraftNFS(
            server: reader.required("server", .text("the NAS address or host name", TextFormats.host)),
            path: reader.required("path", .text("the export path such as /volume1/k8s", TextFormats.absolutePath)),
            version: reader.optional("version", .text("an NFS version such as 4.1", TextFormats.nfsVersion)),
            mountOptions: reader.optional("mountOptions", .list(of: .string, "a list of mount options such as [nfsvers=4.1, hard]")))
    }

    private static func decodeAlerts(_ reader: MappingReader) -> DraftAlerts {
        let names = AlertSettings.Receiver.allCases.map(\.rawValue).joined(separator: ", ")
        let receiver = reader.required("receiver", .text("one of \(names)") { text in
            AlertSettings.Receiver(rawValue: text) == nil ? "is not a receiver homeport configures; use one of \(names)" : nil
        })
        var draft = DraftAlerts(receiver: receiver.flatMap(AlertSettings.Receiver.init(rawValue:)),
                                heartbeatURL: reader.optional("heartbeatURL", .text("an http(s) URL of a heartbeat service", TextFormats.heartbeatURL)))
        if let node = reader.node("email"), !DecodingState.isEmpty(node) {
            if let section = MappingReader(node, path: "alerts.email", knownKeys: emailKeys, state: reader.state) {
                draft.email = DraftEmail(
                    to: section.required("to", .text("an e-mail address", TextFormats.emailAddress)),
                    from: section.required("from", .text("an e-mail address", TextFormats.emailAddress)),
                    smarthost: section.required("smarthost", .text("an SMTP server as HOST:PORT, e.g. smtp.example.com:587", TextFormats.hostAndPort)))
            } else {
                reader.state.isComplete = false
            }
        }
        if draft.receiver == .email, draft.email == nil {
            reader.state.report("alerts.receiver is email, so alerts.email (to, from, smarthost) is required", at: reader.node("receiver")?.mark)
            reader.state.isComplete = false
        }
        return draft
    }
}
