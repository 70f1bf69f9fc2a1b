import Foundation
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

    @Test("base configs equal golden-v1.13 base-*.yaml", arguments: MachineRole.allCases)
    func base(role: MachineRole) throws {
        guard let secrets = try TalosFixtures.goldenSecrets(),
              let expected = try TalosFixtures.documents("golden-v1.13/base-\(role.rawValue).yaml") else { return }
        let options = MachineConfigOptions(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0", contract: TalosContract(1, 13))
        let generated = try MachineConfigGenerator(options: options, secrets: secrets).documents(for: role)
        compare(generated, expected)
    }

    @Test("override configs plus patch.yaml equal golden-v1.13 overrides-*.yaml", arguments: MachineRole.allCases)
    func overrides(role: MachineRole) throws {
        guard let secrets = try TalosFixtures.goldenSecrets(),
              let patchText = try TalosFixtures.text("golden-v1.13/patch.yaml"),
              let expected = try TalosFixtures.documents("golden-v1.13/overrides-\(role.rawValue).yaml") else { return }
        let generator = MachineConfigGenerator(options: TalosFixtures.overridesOptions(contract: TalosContract(1, 13)), secrets: secrets)
        let patched = try ConfigPatch.parse(patchText, path: "patch.yaml").apply(to: try generator.documents(for: role))
        compare(patched, expected)
    }

    @Test("the encoder writes the golden base files byte for byte", arguments: MachineRole.allCases)
    func encodedBytes(role: MachineRole) throws {
        guard let secrets = try TalosFixtures.goldenSecrets(),
              let expected = try TalosFixtures.text("golden-v1.13/base-\(role.rawValue).yaml") else { return }
        let options = MachineConfigOptions(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0", contract: TalosContract(1, 13))
        let generated = try MachineConfigGenerator(options: options, secrets: secrets).documents(for: role)
        #expect(GoYAMLEncoder.encode(documents: generated) == expected)
    }

    @Test("every generated document validates against its release's schema",
          arguments: [("v1.11", TalosContract(1, 11)), ("v1.13", TalosContract(1, 13))])
    func schemaValid(schemaVersion: String, contract: TalosContract) throws {
        guard let secrets = try TalosFixtures.goldenSecrets(), let schema = try TalosFixtures.schema(schemaVersion) else { return }
        var overrides = TalosFixtures.overridesOptions(contract: contract)
        // From v1.12 on the kernel command line comes from the boot image (UKI), and the
        // schema no longer has install.extraKernelArgs; homeport puts the arguments in the
        // schematic instead. The golden case below covers what talosctl itself writes.
        if contract.has(.grubUseUKICmdline) { overrides.extraKernelArgs = [] }
        for options in [MachineConfigOptions(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0", contract: contract), overrides] {
            for role in MachineRole.allCases {
                for document in try MachineConfigGenerator(options: options, secrets: secrets).documents(for: role) {
                    let errors = schema.validateTalosDocument(document)
                    #expect(errors.isEmpty, "\(schemaVersion) \(role): \(errors.joined(separator: "\n"))")
                }
            }
        }
    }

    @Test("talosctl's own v1.13 overrides output breaks the v1.13 schema only at install.extraKernelArgs", arguments: MachineRole.allCases)
    func goldenSchemaGap(role: MachineRole) throws {
        guard let schema = try TalosFixtures.schema("v1.13"),
              let golden = try TalosFixtures.documents("golden-v1.13/overrides-\(role.rawValue).yaml") else { return }
        let errors = golden.flatMap { schema.validateTalosDocument($0) }
        #expect(errors == [".machine.install.extraKernelArgs: not allowed"])
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
