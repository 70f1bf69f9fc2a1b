import Foundation
import Testing
import TalosSchema
import TestSupport
@testable import Talos

/// Paths into ../shared/data/talos and loaders shared by the Talos tests.
enum TalosFixtures {
    static func path(_ relative: String) -> String? {
        let found = SharedData.path("talos/" + relative)
        if found == nil && SharedData.isCI { Issue.record("missing shared data talos/\(relative)") }
        return found
    }

    static func text(_ relative: String) throws -> String? {
        guard let path = path(relative) else {
            print("SKIPPED: shared data talos/\(relative) is absent")
            return nil
        }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    static func goldenSecrets() throws -> SecretsBundle? {
        guard let path = path("golden-v1.13/secrets.yaml") else { return nil }
        return try SecretsBundle.load(path: path)
    }

    static func documents(_ relative: String) throws -> [ConfigValue]? {
        guard let text = try text(relative) else { return nil }
        return try ConfigValue.documents(fromYAML: text, path: relative)
    }

    static func schema(_ version: String) throws -> JSONSchemaValidator? {
        guard let path = path("config.schema.\(version).json") else { return nil }
        return try JSONSchemaValidator(path: path)
    }

    /// The golden overrides case: every option talos's stability test sets.
    static func overridesOptions(contract: TalosContract) -> MachineConfigOptions {
        var options = MachineConfigOptions(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0", contract: contract)
        options.additionalSANs = ["foo", "bar"]
        options.allowSchedulingOnControlPlanes = true
        options.dnsDomain = "example.com"
        options.installDisk = "/dev/vda"
        options.extraKernelArgs = ["foo=bar", "bar=baz"]
        options.localAPIServerPort = 5443
        options.sysctls = [(key: "foo", value: "bar")]
        options.customCNIURL = "https://example.com/cni.yaml"
        options.registryMirrors = [(host: "ghcr.io", endpoints: ["https://ghcr.io.my-mirror.com"])]
        return options
    }

    /// The document with its kind as the raw upstream schema spells it (see SchemaErrata).
    static func withSchemaKind(_ document: ConfigValue, contract: TalosContract) -> ConfigValue {
        guard let kind = document["kind"]?.stringValue else { return document }
        var copy = document
        copy.set("kind", .string(SchemaErrata.schemaKind(forDocumentKind: kind, release: TalosRelease(contract.major, contract.minor))))
        return copy
    }

    /// A fixed clock for reproducible certificates.
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
}
