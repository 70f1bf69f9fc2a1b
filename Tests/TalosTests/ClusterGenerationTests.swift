import Foundation
import HomeportCore
import Testing
import TestSupport
import X509
@testable import Talos

@Suite("Talos configs from the cluster definition")
struct ClusterGenerationTests {
    static func input(talosVersion: String) -> TalosGenerationInput {
        TalosGenerationInput(
            clusterName: "prox-n100", talosVersion: talosVersion, kubernetesVersion: "v1.34.2", nodePrefixLength: 24,
            gateway: "192.168.1.1", nameservers: ["192.168.1.1"], controlPlaneVIP: "192.168.1.210",
            podSubnets: ["10.244.0.0/16"], serviceSubnets: ["10.96.0.0/12"], installDisk: "/dev/sda",
            extensions: ["siderolabs/qemu-guest-agent"], extraKernelArgs: ["net.ifnames=0"], allowSchedulingOnControlPlanes: true,
            nodes: [
                .init(hostname: "talos-cp-1", role: .controlplane, address: "192.168.1.214", macAddress: "BC:24:11:00:02:14"),
                .init(hostname: "talos-w-1", role: .worker, address: "192.168.1.215", interfaceName: "ens18", installDisk: "/dev/vda"),
            ])
    }

    static func patches() throws -> PatchSet {
        PatchSet(
            all: [try ConfigPatch.parse("machine:\n  kubelet:\n    extraArgs:\n      rotate-server-certificates: \"true\"\n", path: "all/kubelet.yaml")],
            controlplane: [try ConfigPatch.parse("cluster:\n  etcd:\n    advertisedSubnets: [192.168.1.0/24]\n", path: "controlplane/etcd.yaml")])
    }

    func renderer(_ version: String) throws -> ClusterConfigRenderer? {
        guard let secrets = try TalosFixtures.goldenSecrets() else { return nil }
        return ClusterConfigRenderer(input: Self.input(talosVersion: version), secrets: secrets, patches: try Self.patches())
    }

    @Test("every role and node document validates against the release's schema",
          arguments: [("v1.11.6", "v1.11"), ("v1.12.11", "v1.12"), ("v1.13.9", "v1.13")])
    func schemaValid(version: String, schemaVersion: String) throws {
        guard let renderer = try renderer(version), let schema = try TalosFixtures.schema(schemaVersion) else { return }
        var documents = try MachineRole.allCases.flatMap { try renderer.roleDocuments($0) }
        for node in renderer.input.nodes { documents += try renderer.nodeDocuments(node) }
        for document in documents {
            let errors = schema.validateTalosDocument(document)
            #expect(errors.isEmpty, "\(version): \(errors.joined(separator: "\n"))")
        }
    }

    @Test("shared settings: endpoint on the VIP, SANs, CIDRs, installer from the schematic, patches applied")
    func sharedSettings() throws {
        guard let renderer = try renderer("v1.13.9") else { return }
        let config = try renderer.roleDocuments(.controlplane)[0]
        let schematicID = Schematic(officialExtensions: ["siderolabs/qemu-guest-agent"], extraKernelArgs: ["net.ifnames=0"]).id
        #expect(config[path: "cluster.controlPlane.endpoint"] == .string("https://192.168.1.210:6443"))
        #expect(config[path: "machine.certSANs"] == .strings(["192.168.1.210", "192.168.1.214"]))
        #expect(config[path: "cluster.apiServer.certSANs"] == .strings(["192.168.1.210", "192.168.1.214"]))
        #expect(config[path: "machine.install.image"] == .string("factory.talos.dev/nocloud-installer/\(schematicID):v1.13.9"))
        #expect(config[path: "machine.install.disk"] == .string("/dev/sda"))
        #expect(config[path: "machine.install.extraKernelArgs"] == nil, "v1.13 takes kernel arguments from the schematic")
        #expect(config[path: "cluster.allowSchedulingOnControlPlanes"] == .bool(true))
        #expect(config[path: "cluster.network.podSubnets"] == .strings(["10.244.0.0/16"]))
        #expect(config[path: "cluster.etcd.advertisedSubnets"] == .strings(["192.168.1.0/24"]))
        #expect(config[path: "machine.kubelet.extraArgs"]?["rotate-server-certificates"] == .string("true"))
        #expect(config[path: "machine.kubelet.image"] == .string("ghcr.io/siderolabs/kubelet:v1.34.2"))
        let worker = try renderer.roleDocuments(.worker)[0]
        #expect(worker[path: "cluster.etcd"] == nil, "control-plane patches stay off workers")
        #expect(worker[path: "machine.kubelet.extraArgs"] != nil)
    }

    @Test("v1.13 nodes: hostname, MAC-selected link, static address and route, VIP on control planes, resolvers")
    func multidocNode() throws {
        guard let renderer = try renderer("v1.13.9") else { return }
        let controlPlane = try renderer.nodeDocuments(renderer.input.nodes[0])
        func document(_ kind: String, in documents: [ConfigValue]) -> ConfigValue? { documents.first { $0["kind"] == .string(kind) } }
        #expect(document("HostnameConfig", in: controlPlane)?["hostname"] == .string("talos-cp-1"))
        #expect(document("HostnameConfig", in: controlPlane)?["auto"] == nil)
        #expect(document("LinkAliasConfig", in: controlPlane)?[path: "selector.match"] == .string("mac(link.permanent_addr) == \"bc:24:11:00:02:14\""))
        let link = try #require(document("LinkConfig", in: controlPlane))
        #expect(link["name"] == .string("net0"))
        #expect(link["addresses"] == .sequence([.map([("address", .string("192.168.1.214/24"))])]))
        #expect(link["routes"]?.items?.first?["gateway"] == .string("192.168.1.1"))
        #expect(document("Layer2VIPConfig", in: controlPlane)?["name"] == .string("192.168.1.210"))
        #expect(document("ResolverConfig", in: controlPlane)?["nameservers"] == .sequence([.map([("address", .string("192.168.1.1"))])]))
        let worker = try renderer.nodeDocuments(renderer.input.nodes[1])
        #expect(document("Layer2VIPConfig", in: worker) == nil, "the VIP lives on control planes only")
        #expect(document("LinkConfig", in: worker)?["name"] == .string("ens18"))
        #expect(worker[0][path: "machine.install.disk"] == .string("/dev/vda"))
    }

    @Test("v1.11 nodes use machine.network with deviceSelector, routes and the VIP")
    func legacyNode() throws {
        guard let renderer = try renderer("v1.11.6") else { return }
        let config = try renderer.nodeDocuments(renderer.input.nodes[0])[0]
        #expect(try renderer.nodeDocuments(renderer.input.nodes[0]).count == 1)
        #expect(config[path: "machine.network.hostname"] == .string("talos-cp-1"))
        #expect(config[path: "machine.network.nameservers"] == .strings(["192.168.1.1"]))
        let interface = try #require(config[path: "machine.network.interfaces"]?.items?.first)
        #expect(interface[path: "deviceSelector.hardwareAddr"] == .string("bc:24:11:00:02:14"))
        #expect(interface["addresses"] == .strings(["192.168.1.214/24"]))
        #expect(interface[path: "vip.ip"] == .string("192.168.1.210"))
        #expect(config[path: "machine.install.extraKernelArgs"] == .strings(["net.ifnames=0"]))
        #expect(config[path: "cluster.apiServer.certSANs"] == .strings(["192.168.1.210", "192.168.1.214"]))
        let worker = try renderer.nodeDocuments(renderer.input.nodes[1])[0]
        #expect(worker[path: "machine.network.interfaces"]?.items?.first?["vip"] == nil)
        #expect(worker[path: "machine.network.interfaces"]?.items?.first?["interface"] == .string("ens18"))
    }

    @Test("JSON patches work on v1.11's single document and are refused on v1.13's multi-document configs")
    func jsonPatches() throws {
        guard let secrets = try TalosFixtures.goldenSecrets() else { return }
        let patch = try ConfigPatch.parse("- op: add\n  path: /machine/nodeLabels/zone\n  value: lab\n", path: "cluster/talos/patches/all/zone.yaml")
        let legacy = ClusterConfigRenderer(input: Self.input(talosVersion: "v1.11.6"), secrets: secrets, patches: PatchSet(all: [patch]))
        #expect(try legacy.nodeDocuments(legacy.input.nodes[0])[0][path: "machine.nodeLabels"]?["zone"] == .string("lab"))
        let current = ClusterConfigRenderer(input: Self.input(talosVersion: "v1.13.9"), secrets: secrets, patches: PatchSet(all: [patch]))
        let error = #expect(throws: HomeportError.self) { try current.nodeDocuments(current.input.nodes[0]) }
        #expect(error?.location?.path == "cluster/talos/patches/all/zone.yaml")
    }

    @Test("DHCP nodes get a DHCP link instead of a static address")
    func dhcpNode() throws {
        guard let secrets = try TalosFixtures.goldenSecrets() else { return }
        var input = Self.input(talosVersion: "v1.13.9")
        input.nodes.append(.init(hostname: "talos-w-2", role: .worker, address: nil))
        let documents = try ClusterConfigRenderer(input: input, secrets: secrets).nodeDocuments(input.nodes[2])
        #expect(documents.contains { $0["kind"] == .string("DHCPv4Config") && $0["name"] == .string("eth0") })
        #expect(!documents.contains { $0["kind"] == .string("LinkConfig") })
        #expect(input.talosEndpoints == ["192.168.1.214"])
    }
}

@Suite("the .talos workspace")
struct TalosWorkspaceTests {
    func generator() throws -> SecretsGenerator? {
        guard let golden = try TalosFixtures.goldenSecrets(), let pem = Base64PEM.decode(golden.serviceAccountKey) else { return nil }
        return SecretsGenerator(random: SeededRandomSource(seed: "workspace"), now: TalosFixtures.now, serviceAccountKey: try TalosPrivateKey(pem: pem))
    }

    @Test("secrets are written 0600 and never overwritten, by generation or import")
    func neverOverwrite() throws {
        guard let generator = try generator(), let goldenPath = TalosFixtures.path("golden-v1.13/secrets.yaml") else { return }
        let repo = try TemporaryRepo()
        let workspace = TalosWorkspace(repositoryRoot: repo.root, clusterName: "lab")
        let bundle = try workspace.createSecrets(contract: TalosContract(1, 13), generator: generator)
        let attributes = try FileManager.default.attributesOfItem(atPath: workspace.secretsPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let before = try String(contentsOfFile: workspace.secretsPath, encoding: .utf8)
        #expect(throws: HomeportError.self) { try workspace.createSecrets(contract: TalosContract(1, 13), generator: generator) }
        #expect(throws: HomeportError.self) { try workspace.importSecrets(from: goldenPath) }
        #expect(try String(contentsOfFile: workspace.secretsPath, encoding: .utf8) == before)
        #expect(try workspace.loadSecrets() == bundle)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.folder).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("an imported talosctl bundle is stored byte for byte")
    func importBundle() throws {
        guard let goldenPath = TalosFixtures.path("golden-v1.13/secrets.yaml") else { return }
        let repo = try TemporaryRepo()
        let workspace = TalosWorkspace(repositoryRoot: repo.root, clusterName: "lab")
        try workspace.importSecrets(from: goldenPath)
        #expect(try String(contentsOfFile: workspace.secretsPath, encoding: .utf8) == String(contentsOfFile: goldenPath, encoding: .utf8))
    }

    @Test("gen writes role, node and talosconfig files from the repository's patches; bad patches name file and line")
    func writeConfigs() throws {
        guard let goldenPath = TalosFixtures.path("golden-v1.13/secrets.yaml") else { return }
        let repo = try TemporaryRepo(files: [
            "cluster/talos/patches/all/10-kubelet.yaml": "machine:\n  kubelet:\n    extraArgs:\n      rotate-server-certificates: \"true\"\n",
            "cluster/talos/patches/worker/labels.yaml": "machine:\n  nodeLabels:\n    role: worker\n",
        ])
        let workspace = TalosWorkspace(repositoryRoot: repo.root, clusterName: "prox-n100")
        let input = ClusterGenerationTests.input(talosVersion: "v1.13.9")
        #expect(throws: HomeportError.self) { try workspace.writeConfigs(input: input) }  // no secrets yet
        try workspace.importSecrets(from: goldenPath)
        let written = try workspace.writeConfigs(input: input, random: SeededRandomSource(seed: "gen"), now: TalosFixtures.now)
        #expect(written.map { ($0 as NSString).lastPathComponent } == ["controlplane.yaml", "worker.yaml", "talos-cp-1.yaml", "talos-w-1.yaml", "talosconfig"])
        let worker = try #require(try ConfigValue.documents(fromYAML: repo.read(".talos/prox-n100/talos-w-1.yaml") ?? "", path: "w").first)
        #expect(worker[path: "machine.nodeLabels"]?["role"] == .string("worker"))
        let talosconfig = try #require(try ConfigValue.documents(fromYAML: repo.read(".talos/prox-n100/talosconfig") ?? "", path: "t").first)
        #expect(talosconfig[path: "contexts.prox-n100.endpoints"] == .strings(["192.168.1.214"]), "control-plane addresses, not the VIP")
        for path in written {
            #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        }
        try repo.write("cluster/talos/patches/controlplane/broken.yaml", "cluster:\n  network: [\n")
        let error = #expect(throws: HomeportError.self) { try workspace.writeConfigs(input: input) }
        #expect(error?.location?.path == "cluster/talos/patches/controlplane/broken.yaml")
        #expect(error?.location?.line != nil)
    }

    @Test("the talosctl-compatible gen config writes talosctl's files and reproduces the golden output")
    func compatibleMode() throws {
        guard let goldenPath = TalosFixtures.path("golden-v1.13/secrets.yaml"),
              let patchPath = TalosFixtures.path("golden-v1.13/patch.yaml"),
              let expected = try TalosFixtures.documents("golden-v1.13/overrides-worker.yaml") else { return }
        let repo = try TemporaryRepo()
        var generation = TalosctlCompatibleGeneration(clusterName: "base", endpoint: "https://base:6443", secretsPath: goldenPath, outputDirectory: repo.root + "/out")
        generation.talosVersion = "v1.13"
        generation.kubernetesVersion = "1.28.0"
        generation.patchArguments = ["@" + patchPath]
        generation.installDisk = "/dev/vda"
        generation.additionalSANs = ["foo", "bar"]
        try generation.run(random: SeededRandomSource(seed: "compat"), now: TalosFixtures.now)
        let worker = try ConfigValue.documents(fromYAML: repo.read("out/worker.yaml") ?? "", path: "worker.yaml")
        #expect(worker[0][path: "machine.install.image"] == .string("ghcr.io/siderolabs/installer:v1.13"))
        let mounts = try #require(worker[0][path: "machine.kubelet.extraMounts"])
        #expect(mounts.isTreeEqual(to: try #require(expected[0][path: "machine.kubelet.extraMounts"])))
        #expect(worker[0][path: "machine.certSANs"] == .strings(["foo", "bar"]))
        #expect(repo.read("out/talosconfig")?.contains("context: base") == true)
        #expect(throws: HomeportError.self) { try generation.run() }  // refuses to overwrite without --force
        generation.kubernetesVersion = nil
        generation.force = true
        #expect(throws: HomeportError.self) { try generation.run() }  // no invented Kubernetes default
    }
}

@Suite("git ignores the workspace")
struct TalosWorkspaceGitTests {
    @Test("isIgnoredByGit follows .gitignore")
    func ignored() throws {
        guard TestProcess.which("git") != nil else { return }
        let repo = try TemporaryRepo(files: ["README.md": "x\n"])
        try repo.git("init", "-q")
        let workspace = TalosWorkspace(repositoryRoot: repo.root, clusterName: "lab")
        #expect(workspace.isIgnoredByGit() == false)
        let refusal = #expect(throws: HomeportError.self) { try workspace.importSecrets(from: "/nonexistent") }
        #expect(refusal?.message.contains(".gitignore") == true)
        try repo.write(".gitignore", ".talos/\n")
        #expect(workspace.isIgnoredByGit() == true)
        #expect(TalosWorkspace(repositoryRoot: try TemporaryRepo().root, clusterName: "lab").isIgnoredByGit() == nil)
    }
}

@Suite("fields a contract moved out of machine")
struct MovedFieldWarningTests {
    @Test("machine.time in a patch is a warning with file and line for v1.13, nothing for v1.11")
    func movedFields() throws {
        guard let secrets = try TalosFixtures.goldenSecrets() else { return }
        let patch = try ConfigPatch.parse("# NTP\nmachine:\n  kubelet: {}\n  time:\n    servers: [pool.ntp.org]\n", path: "cluster/talos/patches/all/time.yaml")
        let current = ClusterConfigRenderer(input: ClusterGenerationTests.input(talosVersion: "v1.13.9"), secrets: secrets, patches: PatchSet(all: [patch]))
        let warnings = try current.warnings()
        #expect(warnings.count == 1)
        #expect(warnings.first?.location == SourceLocation(path: "cluster/talos/patches/all/time.yaml", line: 5, column: 5))
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.message.contains("TimeSyncConfig") == true)
        let legacy = ClusterConfigRenderer(input: ClusterGenerationTests.input(talosVersion: "v1.11.6"), secrets: secrets, patches: PatchSet(all: [patch]))
        #expect(try legacy.warnings().isEmpty)
    }
}
