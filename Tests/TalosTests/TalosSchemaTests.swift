import ClusterSpec
import Foundation
import HomeportCore
import Manifests
@testable import TalosSchema
import Testing
import TestSupport
@testable import Talos

@Suite("the Talos schemas homeport ships")
struct ShippedSchemaTests {
    @Test("each shipped schema has upstream's $defs and document kinds", arguments: TalosSchemaCatalog.releases)
    func matchesUpstream(release: TalosRelease) throws {
        guard let text = try TalosFixtures.text("config.schema.\(release).json") else { return }
        let upstream = try SchemaValue(json: text)
        let shipped = try #require(TalosSchemaCatalog.schema(for: release))
        let upstreamDefinitions = try #require(upstream["$defs"]?.objectValue)
        #expect(Set(upstreamDefinitions.map(\.key)) == Set(shipped.definitions.keys))
        let upstreamKinds = upstreamDefinitions.flatMap { $0.value["properties"]?["kind"]?["enum"]?.arrayValue ?? [] }.compactMap(\.stringValue)
        #expect(shipped.kinds == upstreamKinds.map { SchemaErrata.documentKind(forSchemaKind: $0, release: release) }.sorted())
        // Same structure once the prose is gone: spot-check one deep definition per release.
        for name in ["v1alpha1.MachineConfig", "v1alpha1.ClusterConfig"] {
            #expect(Self.withoutProse(try #require(upstreamDefinitions.first { $0.key == name }?.value)) == shipped.definitions[name])
        }
    }

    @Test("every erratum still disagrees with the raw upstream schema")
    func errataAreReal() throws {
        for (release, aliases) in SchemaErrata.kindAliases {
            guard let text = try TalosFixtures.text("config.schema.\(release).json") else { return }
            let definitions = try #require(try SchemaValue(json: text)["$defs"]?.objectValue)
            let rawKinds = Set(definitions.flatMap { $0.value["properties"]?["kind"]?["enum"]?.arrayValue ?? [] }.compactMap(\.stringValue))
            for (schemaKind, documentKind) in aliases {
                #expect(rawKinds.contains(schemaKind), "\(release) lists \(schemaKind)")
                #expect(!rawKinds.contains(documentKind), "\(release) lists \(documentKind) now; drop the erratum")
                #expect(TalosSchemaCatalog.schema(for: release)?.kinds.contains(documentKind) == true)
            }
        }
    }

    @Test("the shipped validator rejects what the schema forbids")
    func rejects() throws {
        let schema = try #require(TalosSchemaCatalog.schema(for: TalosRelease(1, 14)))
        let kubelet = SchemaValue.object([
            (key: "apiVersion", value: .string("v1alpha1")), (key: "kind", value: .string("KubeletConfig")),
            (key: "extraMounts", value: .array([])), (key: "clusterDNS", value: .string("1.1.1.1")),
        ])
        let problems = schema.validate(document: kubelet).map(\.description)
        #expect(problems.contains(".extraMounts: unknown field"))
        #expect(problems.contains { $0.hasPrefix(".clusterDNS: expected array") })
        #expect(problems.contains(".: missing required field image"))
        #expect(schema.validate(document: .object([(key: "apiVersion", value: .string("v1alpha1")), (key: "kind", value: .string("MachineConfig"))]))
            .map(\.description) == [".kind: Talos v1.14 has no document kind MachineConfig"])
    }

    @Test("every replacement document the migration table names is a v1.14 kind")
    func migrationNamesExist() throws {
        let kinds = Set(try #require(TalosSchemaCatalog.schema(for: TalosRelease(1, 14))).kinds)
        for (path, names) in FieldMigrations.replacementNames {
            for name in names { #expect(kinds.contains(name), "\(path) → \(name)") }
        }
    }

    static func withoutProse(_ value: SchemaValue) -> SchemaValue {
        let prose: Set<String> = ["title", "description", "markdownDescription", "x-intellij-html-description"]
        switch value {
        case .array(let items): return .array(items.map(withoutProse))
        case .object(let entries):
            return .object(entries.compactMap { entry in
                if prose.contains(entry.key) { return nil }
                if ["properties", "patternProperties", "$defs"].contains(entry.key), case .object(let names) = entry.value {
                    return (key: entry.key, value: .object(names.map { (key: $0.key, value: withoutProse($0.value)) }))
                }
                return (key: entry.key, value: withoutProse(entry.value))
            })
        default: return value
        }
    }
}

@Suite("patch fields against the target release")
struct PatchFieldCheckerTests {
    func problems(_ yaml: String, release: TalosRelease) throws -> [PatchFieldProblem] {
        let checker = try #require(PatchFieldChecker(release: release))
        return checker.check(YAMLParser.parse(yaml).documents)
    }

    @Test("a planted unknown field is an error at its line, in a v1alpha1 patch and in a document")
    func unknownField() throws {
        let found = try problems("cluster:\n  etcd:\n    advertisedSubnets: [10.0.0.0/24]\n    listenSubnet: [10.0.0.0/24]\n---\napiVersion: v1alpha1\nkind: KubeletConfig\nextraArgs: {}\nrotateCerts: true\n", release: TalosRelease(1, 14))
        #expect(found.map(\.severity) == [.error, .error])
        #expect(found.map(\.mark.line) == [4, 9])
        #expect(found.map(\.field) == ["cluster.etcd.listenSubnet", "KubeletConfig.rotateCerts"])
        #expect(found[0].message.contains("not a field of the Talos v1.14 config"))
    }

    @Test("v1.13-style fields on v1.14 are warnings naming each replacing document")
    func movedToV114() throws {
        let patch = """
        machine:
          kubelet:
            extraArgs:
              rotate-server-certificates: "true"
            nodeIP:
              validSubnets: [192.168.1.0/24]
            extraMounts: []
          time:
            servers: [pool.ntp.org]
          install:
            disk: /dev/sda
          features:
            kubernetesTalosAPIAccess:
              enabled: true
        cluster:
          network:
            podSubnets: [10.244.0.0/16]
          proxy:
            disabled: false
          discovery:
            enabled: true
          etcd:
            advertisedSubnets: [192.168.1.0/24]

        """
        let found = try problems(patch, release: TalosRelease(1, 14))
        #expect(found.allSatisfy { $0.severity == .warning })
        let byField = Dictionary(uniqueKeysWithValues: found.map { ($0.field, $0.replacements) })
        #expect(byField["machine.kubelet.extraArgs"] == ["KubeletConfig"])
        #expect(byField["machine.kubelet.nodeIP"] == ["KubeNodeConfig"])
        #expect(byField["machine.kubelet.extraMounts"] == ["UserVolumeConfig", "ExistingVolumeConfig"])
        #expect(byField["machine.time.servers"] == ["TimeSyncConfig"])
        #expect(byField["machine.install.disk"] == ["UnattendedInstallConfig"])
        #expect(byField["machine.features.kubernetesTalosAPIAccess.enabled"] == ["KubeTalosAPIAccessConfig"])
        #expect(byField["cluster.network.podSubnets"] == ["KubeNetworkConfig"])
        #expect(byField["cluster.proxy.disabled"] == ["KubeProxyConfig"])
        #expect(byField["cluster.discovery.enabled"] == ["DiscoveryServiceConfig"])
        #expect(byField["cluster.etcd.advertisedSubnets"] == nil, "etcd stays in v1alpha1")
        #expect(found.first { $0.field == "machine.kubelet.nodeIP" }?.mark == Mark(line: 5, column: 5))
        #expect(found.first { $0.field == "machine.time.servers" }?.message.contains("a TimeSyncConfig document") == true)
        // The same patch is clean on v1.13, apart from machine.time (moved in v1.12/v1.13).
        let onV113 = try problems(patch, release: TalosRelease(1, 13))
        #expect(onV113.map(\.field) == ["machine.time.servers"])
    }

    @Test("RFC 6902 paths are checked too")
    func jsonPatch() throws {
        let found = try problems("- op: add\n  path: /machine/nodeLabels/zone\n  value: lab\n- op: add\n  path: /machine/certSANs/-\n  value: x\n", release: TalosRelease(1, 14))
        #expect(found.map(\.field) == ["machine.nodeLabels"])
        #expect(found.first?.replacements == ["KubeNodeConfig"])
        #expect(found.first?.mark.line == 2)
    }
}

@Suite("the reference cluster on Talos v1.14")
struct ReferenceClusterV114Tests {
    func reference() throws -> (TalosGenerationInput, PatchSet) {
        let loaded = try ClusterWorkspace(root: SharedData.packageRoot).load(named: "prox-n100")
        let input = TalosGenerationInput(definition: try loaded.validDefinition())
        let patches = try TalosWorkspace(repositoryRoot: SharedData.packageRoot, clusterName: "prox-n100").loadPatches()
        return (input, patches)
    }

    @Test("prox-n100 runs Talos v1.14 with Kubernetes 1.37, and its patches have no field v1.14 lacks")
    func patchesMigrated() throws {
        let (input, patches) = try reference()
        guard let secrets = try TalosFixtures.goldenSecrets() else { return }
        #expect(try input.contract == TalosContract(1, 14))
        #expect(input.kubernetesVersion.hasPrefix("v1.37."))
        let renderer = ClusterConfigRenderer(input: input, secrets: secrets, patches: patches)
        let warnings = try renderer.warnings()
        #expect(warnings.isEmpty, "\(warnings.map { "\($0.location) \($0.message)" })")
    }

    @Test("every rendered role and node config validates in full against the v1.14 schema, shipped and upstream")
    func renderedConfigsValidate() throws {
        let (input, patches) = try reference()
        guard let secrets = try TalosFixtures.goldenSecrets(), let upstream = try TalosFixtures.schema("v1.14") else { return }
        let renderer = ClusterConfigRenderer(input: input, secrets: secrets, patches: patches)
        var rendered = try MachineRole.allCases.map { ($0.rawValue, try renderer.roleDocuments($0)) }
        rendered += try input.nodes.map { ($0.hostname, try renderer.nodeDocuments($0)) }
        for (name, documents) in rendered {
            let violations = try renderer.schemaViolations(documents)
            #expect(violations.isEmpty, "\(name): \(violations)")
            for document in documents {
                let errors = upstream.validateTalosDocument(TalosFixtures.withSchemaKind(document, contract: TalosContract(1, 14)))
                #expect(errors.isEmpty, "\(name): \(errors)")
            }
        }
        // What the patches and the definition say reaches every node, in v1.14's documents.
        let controlPlane = try renderer.nodeDocuments(input.nodes[0])
        func document(_ kind: String, name: String? = nil) -> ConfigValue? {
            controlPlane.first { $0["kind"] == .string(kind) && (name == nil || $0["name"] == .string(name!)) }
        }
        #expect(document("KubeletConfig")?[path: "extraArgs"]?["rotate-server-certificates"] == .string("true"))
        #expect(document("KubeNodeConfig")?[path: "nodeIP.validSubnets"] == .strings(["192.168.1.0/24"]))
        #expect(document("KubeNodeConfig")?["taints"] == nil, "allowSchedulingOnControlPlanes")
        #expect(document("TimeSyncConfig")?[path: "ntp.servers"] == .strings(["time.cloudflare.com", "pool.ntp.org"]))
        #expect(document("KubeTalosAPIAccessConfig")?["allowedKubernetesNamespaces"] == .strings(["backup"]))
        #expect(document("KubeNetworkConfig")?["podSubnets"] == .strings(["10.244.0.0/16"]))
        #expect(document("HostnameConfig")?["hostname"] == .string("talos-cp-1"))
        #expect(document("LinkConfig")?["addresses"] == .sequence([.map([("address", .string("192.168.1.214/24"))])]))
        #expect(document("Layer2VIPConfig")?["name"] == .string("192.168.1.210"))
        #expect(document("ResolverConfig")?["nameservers"] == .sequence([.map([("address", .string("192.168.1.1"))])]))
        #expect(document("UnattendedInstallConfig")?[path: "provisioning.diskSelector.match"] == .string("disk.dev_path == \"/dev/sda\""))
        #expect(document("UnattendedInstallConfig")?[path: "installer.image"]?.stringValue?.hasPrefix("factory.talos.dev/nocloud-installer/") == true)
        #expect(controlPlane[0][path: "cluster.etcd.advertisedSubnets"] == .strings(["192.168.1.0/24"]))
        #expect(controlPlane[0][path: "machine.kubelet"] == nil)
    }
}
