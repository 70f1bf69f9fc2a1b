import Foundation
import TalosSchema
import Testing
@testable import Talos

@Suite("Talos machine configs against talosctl's golden files and schemas")
struct GoldenConfigTests {
    /// Matches documents by kind (the v1alpha1 one by `version`) and compares them as trees.
    func compare(_ actual: [ConfigValue], _ expected: [ConfigValue]) {
        #expect(actual.count == expected.count, "document count")
        for document in expected {
            let match = actual.first { $0["kind"] == document["kind"] && $0["name"] == document["name"] && ($0["version"] == nil) == (document["version"] == nil) }
            guard let match else {
                Issue.record("missing document \(document["kind"].map(GoYAMLEncoder.inline) ?? "v1alpha1")")
                continue
            }
            let differences = match.differences(from: document)
            #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        }
    }

    /// Upstream's stability golden files: v1.12.11, v1.13.9 and v1.14.0-rc.1.
    static let goldenReleases: [TalosContract] = [TalosContract(1, 12), TalosContract(1, 13), TalosContract(1, 14)]
    static let goldenCases: [(TalosContract, MachineRole)] = goldenReleases.flatMap { contract in MachineRole.allCases.map { (contract, $0) } }

    @Test("base configs equal golden-vX.Y base-*.yaml", arguments: goldenCases)
    func base(contract: TalosContract, role: MachineRole) throws {
        guard let secrets = try TalosFixtures.goldenSecrets(),
              let expected = try TalosFixtures.documents("golden-\(contract)/base-\(role.rawValue).yaml") else { return }
        let options = MachineConfigOptions(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0", contract: contract)
        let generated = try MachineConfigGenerator(options: options, secrets: secrets).documents(for: role)
        compare(generated, expected)
    }

    @Test("override configs plus patch.yaml equal golden-vX.Y overrides-*.yaml", arguments: goldenCases)
    func overrides(contract: TalosContract, role: MachineRole) throws {
        guard let secrets = try TalosFixtures.goldenSecrets(),
              let patchText = try TalosFixtures.text("golden-\(contract)/patch.yaml"),
              let expected = try TalosFixtures.documents("golden-\(contract)/overrides-\(role.rawValue).yaml") else { return }
        let generator = MachineConfigGenerator(options: TalosFixtures.overridesOptions(contract: contract), secrets: secrets)
        let patched = try ConfigPatch.parse(patchText, path: "patch.yaml").apply(to: try generator.documents(for: role))
        compare(patched, expected)
    }

    @Test("the encoder writes the golden base files byte for byte", arguments: goldenCases)
    func encodedBytes(contract: TalosContract, role: MachineRole) throws {
        guard let secrets = try TalosFixtures.goldenSecrets(),
              let expected = try TalosFixtures.text("golden-\(contract)/base-\(role.rawValue).yaml") else { return }
        let options = MachineConfigOptions(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0", contract: contract)
        let generated = try MachineConfigGenerator(options: options, secrets: secrets).documents(for: role)
        #expect(GoYAMLEncoder.encode(documents: generated) == expected)
    }

    @Test("every generated document validates against its release's upstream schema and the shipped one",
          arguments: [TalosContract(1, 11), TalosContract(1, 12), TalosContract(1, 13), TalosContract(1, 14)])
    func schemaValid(contract: TalosContract) throws {
        guard let secrets = try TalosFixtures.goldenSecrets(), let upstream = try TalosFixtures.schema(contract.description) else { return }
        let shipped = try #require(TalosSchemaCatalog.schema(for: TalosRelease(contract.major, contract.minor)))
        var overrides = TalosFixtures.overridesOptions(contract: contract)
        // From v1.12 on the kernel command line comes from the boot image (UKI), and the
        // schema no longer has install.extraKernelArgs; homeport puts the arguments in the
        // schematic instead. The golden case below covers what talosctl itself writes.
        if contract.has(.grubUseUKICmdline) { overrides.extraKernelArgs = [] }
        overrides.installImage = "factory.talos.dev/nocloud-installer/abc:\(contract).0"
        for options in [MachineConfigOptions(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0", contract: contract), overrides] {
            for role in MachineRole.allCases {
                for document in try MachineConfigGenerator(options: options, secrets: secrets).documents(for: role) {
                    let errors = upstream.validateTalosDocument(TalosFixtures.withSchemaKind(document, contract: contract))
                    #expect(errors.isEmpty, "\(contract) \(role): \(errors.joined(separator: "\n"))")
                    let violations = shipped.validate(document: document.schemaValue)
                    #expect(violations.isEmpty, "shipped \(contract) \(role): \(violations)")
                }
            }
        }
    }

    @Test("talosctl's own v1.12/v1.13 overrides output breaks their schema only at install.extraKernelArgs",
          arguments: [TalosContract(1, 12), TalosContract(1, 13)].flatMap { contract in MachineRole.allCases.map { (contract, $0) } })
    func goldenSchemaGap(contract: TalosContract, role: MachineRole) throws {
        guard let schema = try TalosFixtures.schema(contract.description),
              let golden = try TalosFixtures.documents("golden-\(contract)/overrides-\(role.rawValue).yaml") else { return }
        let errors = golden.flatMap { schema.validateTalosDocument($0) }
        #expect(errors == [".machine.install.extraKernelArgs: not allowed"])
    }

    @Test("talosctl's v1.14 output breaks the raw v1.14.0-rc.1 schema only at the UnattendedInstallConfig kind (SchemaErrata)",
          arguments: MachineRole.allCases)
    func goldenSchemaGapV114(role: MachineRole) throws {
        guard let schema = try TalosFixtures.schema("v1.14"),
              let golden = try TalosFixtures.documents("golden-v1.14/overrides-\(role.rawValue).yaml") else { return }
        #expect(golden.flatMap { schema.validateTalosDocument($0) } == ["no schema for kind UnattendedInstallConfig"])
        #expect(golden.flatMap { schema.validateTalosDocument(TalosFixtures.withSchemaKind($0, contract: TalosContract(1, 14))) }.isEmpty)
        let shipped = try #require(TalosSchemaCatalog.schema(for: TalosRelease(1, 14)))
        #expect(golden.flatMap { shipped.validate(document: $0.schemaValue) }.isEmpty)
    }

    @Test("the validator rejects what the schema forbids")
    func validatorRejects() throws {
        guard let secrets = try TalosFixtures.goldenSecrets(), let schema = try TalosFixtures.schema("v1.13") else { return }
        let options = MachineConfigOptions(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0", contract: TalosContract(1, 13))
        var config = try MachineConfigGenerator(options: options, secrets: secrets).documents(for: .controlplane)[0]
        config.set(path: ["machine", "type"], .string("manager"))
        config.set(path: ["machine", "network"], .mapping([]))  // gone from the v1.13 contract
        let errors = schema.validateTalosDocument(config)
        #expect(errors.contains { $0.contains(".machine.type") })
        #expect(errors.contains { $0.contains(".machine.network") })
    }

    @Test("the v1.11 contract keeps the single-document layout")
    func legacyLayout() throws {
        guard let secrets = try TalosFixtures.goldenSecrets() else { return }
        let generator = MachineConfigGenerator(options: TalosFixtures.overridesOptions(contract: TalosContract(1, 11)), secrets: secrets)
        let documents = try generator.documents(for: .controlplane)
        #expect(documents.count == 1)
        let config = documents[0]
        #expect(config[path: "machine.features.rbac"] == .bool(true))
        #expect(config[path: "machine.features.stableHostname"] == .bool(true))
        #expect(config[path: "machine.network"] == .mapping([]))
        #expect(config[path: "machine.install.grubUseUKICmdline"] == nil)
        #expect(config[path: "cluster.apiServer.certSANs"] == .strings(["base", "foo", "bar"]))
        #expect(config[path: "cluster.apiServer.disablePodSecurityPolicy"] == .bool(true))
        #expect(config[path: "machine.registries.mirrors.ghcr.io.endpoints"] == nil)  // dotted key: read it directly
        #expect(config[path: "machine.registries.mirrors"]?["ghcr.io"]?["endpoints"] == .strings(["https://ghcr.io.my-mirror.com"]))
    }
}
