import HomeportCore
import TalosSchema

/// The patches of `cluster/talos/patches/{all,controlplane,worker}/`, in file-name order.
public struct PatchSet: Sendable {
    public var all: [ConfigPatch]
    public var controlplane: [ConfigPatch]
    public var worker: [ConfigPatch]

    public init(all: [ConfigPatch] = [], controlplane: [ConfigPatch] = [], worker: [ConfigPatch] = []) {
        self.all = all
        self.controlplane = controlplane
        self.worker = worker
    }

    public func patches(for role: MachineRole) -> [ConfigPatch] {
        all + (role == .controlplane ? controlplane : worker)
    }
}

/// Renders the cluster's machine configs: one per role and one per node.
public struct ClusterConfigRenderer: Sendable {
    public var input: TalosGenerationInput
    public var secrets: SecretsBundle
    public var patches: PatchSet

    public init(input: TalosGenerationInput, secrets: SecretsBundle, patches: PatchSet = PatchSet()) {
        self.input = input
        self.secrets = secrets
        self.patches = patches
    }

    /// Patch fields the cluster's release does not have, at the file and line that set them:
    /// a warning naming the replacing document for a field the release moved, an error for
    /// one no release has (the same check as `homeport check`'s `talos.patch-schema`).
    public func warnings() throws -> [Finding] {
        let contract = try input.contract
        guard let checker = PatchFieldChecker(release: TalosRelease(contract.major, contract.minor)) else { return [] }
        return (patches.all + patches.controlplane + patches.worker).flatMap { patch in
            checker.check(patch.sourceDocuments).map { problem in
                Finding(ruleID: "talos.patch-schema", severity: problem.severity,
                        location: SourceLocation(path: patch.path, line: problem.mark.line, column: problem.mark.column),
                        message: problem.message)
            }
        }.sorted { $0.location < $1.location }
    }

    /// The generate options the definition implies.
    public func options() throws -> MachineConfigOptions {
        let contract = try input.contract
        var options = MachineConfigOptions(clusterName: input.clusterName, endpoint: try input.endpoint,
                                           kubernetesVersion: input.kubernetesVersion, contract: contract)
        var sans: [String] = []
        for san in [input.controlPlaneVIP].compactMap({ $0 }) + input.controlPlanes.compactMap(\.address) + input.additionalSANs
        where !sans.contains(san) {
            sans.append(san)
        }
        options.additionalSANs = sans
        options.allowSchedulingOnControlPlanes = input.allowSchedulingOnControlPlanes
        options.dnsDomain = input.dnsDomain
        options.podSubnets = input.podSubnets
        options.serviceSubnets = input.serviceSubnets
        options.installDisk = input.installDisk
        options.installImage = try input.schematic.installerImage(talosVersion: input.talosVersion)
        options.extraKernelArgs = contract.has(.grubUseUKICmdline) ? [] : input.extraKernelArgs
        return options
    }

    /// The config for a role with the role's patches applied (what `gen config` would write).
    public func roleDocuments(_ role: MachineRole) throws -> [ConfigValue] {
        var documents = try MachineConfigGenerator(options: options(), secrets: secrets).documents(for: role)
        for patch in patches.patches(for: role) { documents = try patch.apply(to: documents) }
        return documents
    }

    /// One node's config: the role config, then the node's own settings, then the patches (the
    /// repository's patches have the last word, as with talosctl's `--config-patch`).
    public func nodeDocuments(_ node: TalosGenerationInput.Node) throws -> [ConfigValue] {
        var documents = try MachineConfigGenerator(options: options(), secrets: secrets).documents(for: node.role)
        documents = try nodePatch(node).apply(to: documents)
        for patch in patches.patches(for: node.role) { documents = try patch.apply(to: documents) }
        return documents
    }

    /// The node's hostname, network and install disk as a strategic-merge patch, in the
    /// layout of the version contract: `machine.network` up to v1.11, network documents after;
    /// the install disk in `machine.install` up to v1.13, an UnattendedInstallConfig after.
    func nodePatch(_ node: TalosGenerationInput.Node) throws -> ConfigPatch {
        let contract = try input.contract
        let vip = node.role == .controlplane ? input.controlPlaneVIP : nil
        let address = node.address.map { "\($0)/\(input.nodePrefixLength)" }
        var documents: [ConfigValue] = []
        if contract.has(.multidocNetwork) {
            if let disk = node.installDisk {
                if contract.has(.kubernetesDocuments) {
                    documents.append(MachineConfigGenerator.document("UnattendedInstallConfig", [
                        ("provisioning", .map([("diskSelector", .map([("match", .string(MachineConfigGenerator.diskMatch(disk)))]))])),
                    ]))
                } else {
                    documents.append(.map([("machine", .map([("install", .map([("disk", .string(disk))]))]))]))
                }
            }
            documents.append(.map([("apiVersion", .string("v1alpha1")), ("kind", .string("HostnameConfig")), ("$patch", .string("delete"))]))
            documents.append(.map([("apiVersion", .string("v1alpha1")), ("kind", .string("HostnameConfig")), ("hostname", .string(node.hostname))]))
            var link = node.interfaceName
            if let mac = node.macAddress {
                link = "net0"
                documents.append(.map([
                    ("apiVersion", .string("v1alpha1")), ("kind", .string("LinkAliasConfig")), ("name", .string(link)),
                    ("selector", .map([("match", .string("mac(link.permanent_addr) == \"\(mac.lowercased())\""))])),
                ]))
            }
            if let address {
                documents.append(.map([
                    ("apiVersion", .string("v1alpha1")), ("kind", .string("LinkConfig")), ("name", .string(link)),
                    ("addresses", .sequence([.map([("address", .string(address))])])),
                    ("routes", input.gateway.map { .sequence([.map([("destination", .string("0.0.0.0/0")), ("gateway", .string($0))])]) }),
                ]))
            } else {
                documents.append(.map([("apiVersion", .string("v1alpha1")), ("kind", .string("DHCPv4Config")), ("name", .string(link))]))
            }
            if let vip {
                documents.append(.map([("apiVersion", .string("v1alpha1")), ("kind", .string("Layer2VIPConfig")),
                                       ("name", .string(vip)), ("link", .string(link))]))
            }
            if !input.nameservers.isEmpty {
                documents.append(.map([("apiVersion", .string("v1alpha1")), ("kind", .string("ResolverConfig")),
                                       ("nameservers", .sequence(input.nameservers.map { .map([("address", .string($0))]) }))]))
            }
        } else {
            let selector: (String, ConfigValue) = node.macAddress.map { ("deviceSelector", .map([("hardwareAddr", .string($0.lowercased()))])) }
                ?? ("interface", .string(node.interfaceName))
            let interface = ConfigValue.map([
                selector,
                ("addresses", address.map { .strings([$0]) }),
                ("routes", address != nil ? input.gateway.map { .sequence([.map([("network", .string("0.0.0.0/0")), ("gateway", .string($0))])]) } : nil),
                ("dhcp", address == nil ? .bool(true) : nil),
                ("vip", vip.map { .map([("ip", .string($0))]) }),
            ])
            var machine: [(String, ConfigValue?)] = [("network", .map([
                ("hostname", .string(node.hostname)),
                ("interfaces", .sequence([interface])),
                ("nameservers", input.nameservers.isEmpty ? nil : .strings(input.nameservers)),
            ]))]
            if let disk = node.installDisk { machine.append(("install", .map([("disk", .string(disk))]))) }
            documents.append(.map([("machine", .map(machine))]))
        }
        documents += try subnetDocuments(node)
        return ConfigPatch(path: "config/clusters/\(input.clusterName).yaml (node \(node.hostname))", body: .strategicMerge(documents))
    }

    /// The node network from the definition: the kubelet's node IP and, on control planes,
    /// etcd's advertised address are picked from it, never from a second link or a pod
    /// address. Patches need not (and should not) repeat it.
    func subnetDocuments(_ node: TalosGenerationInput.Node) throws -> [ConfigValue] {
        guard let subnet = input.nodeSubnet else { return [] }
        let nodeIP = ConfigValue.map([("validSubnets", .strings([subnet]))])
        let etcd: ConfigValue? = node.role == .controlplane
            ? .map([("etcd", .map([("advertisedSubnets", .strings([subnet]))]))]) : nil
        if try input.contract.has(.kubernetesDocuments) {
            var documents = [MachineConfigGenerator.document("KubeNodeConfig", [("nodeIP", nodeIP)])]
            if let etcd { documents.append(.map([("cluster", etcd)])) }
            return documents
        }
        return [.map([("machine", .map([("kubelet", .map([("nodeIP", nodeIP)]))])), ("cluster", etcd)])]
    }
}
