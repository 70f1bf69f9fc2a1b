import Crypto
import Foundation

/// The Talos Image Factory assets for a version and a set of official system extensions.
public struct TalosImage: Sendable, Hashable {
    public var version: String
    public var extensions: [String]

    public init(version: String, extensions: [String]) {
        self.version = version.hasPrefix("v") ? version : "v" + version
        self.extensions = extensions
    }

    /// The schematic in Image Factory's canonical form (4-space indent, list order kept).
    public var schematicYAML: String {
        guard !extensions.isEmpty else { return "customization: {}\n" }
        return "customization:\n    systemExtensions:\n        officialExtensions:\n"
            + extensions.map { "            - \($0)\n" }.joined()
    }

    /// The schematic id: hex SHA-256 of the canonical YAML.
    public var schematicID: String {
        SHA256.hash(data: Data(schematicYAML.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The nocloud ISO (boots into maintenance mode and reads the Proxmox cloud-init drive).
    public var isoURL: String { "https://factory.talos.dev/image/\(schematicID)/\(version)/nocloud-amd64.iso" }

    /// The ISO's file name on Proxmox image storage (version and schematic prefix in the name,
    /// so a new version or schematic is a new file).
    public var isoFilename: String { "talos-\(version)-\(schematicID.prefix(12))-nocloud-amd64.iso" }

    /// The installer image for machine configs.
    public var installerImage: String { "factory.talos.dev/nocloud-installer/\(schematicID):\(version)" }
}
