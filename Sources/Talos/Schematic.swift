import Crypto
import Foundation

/// An Image Factory schematic: the system extensions (and kernel arguments) baked into the
/// installer and boot images. Its id is computed offline exactly as the factory does.
public struct Schematic: Sendable, Equatable {
    public var officialExtensions: [String]
    public var extraKernelArgs: [String]
    public var meta: [(key: Int, value: String)]

    public static func == (lhs: Schematic, rhs: Schematic) -> Bool {
        lhs.officialExtensions == rhs.officialExtensions && lhs.extraKernelArgs == rhs.extraKernelArgs
            && lhs.meta.map(\.key) == rhs.meta.map(\.key) && lhs.meta.map(\.value) == rhs.meta.map(\.value)
    }

    public init(officialExtensions: [String] = [], extraKernelArgs: [String] = [], meta: [(key: Int, value: String)] = []) {
        self.officialExtensions = officialExtensions
        self.extraKernelArgs = extraKernelArgs
        self.meta = meta
    }

    /// The canonical YAML: go-yaml output with a four-space indent, empty fields left out,
    /// `customization` always present, lists in the order given (order changes the id).
    public var canonicalYAML: String {
        let customization = ConfigValue.map([
            ("extraKernelArgs", extraKernelArgs.isEmpty ? nil : .strings(extraKernelArgs)),
            ("meta", meta.isEmpty ? nil : .sequence(meta.map { .map([("key", .int($0.key)), ("value", .string($0.value))]) })),
            ("systemExtensions", officialExtensions.isEmpty ? nil : .map([("officialExtensions", .strings(officialExtensions))])),
        ])
        return GoYAMLEncoder.encode(.map([("customization", customization)]))
    }

    /// hex(sha256(canonical YAML)).
    public var id: String {
        SHA256.hash(data: Data(canonicalYAML.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The installer image for machine configs (`nocloud-installer` for Proxmox's cloud-init boot).
    public func installerImage(talosVersion: String, platform: String = "nocloud") -> String {
        "factory.talos.dev/\(platform)-installer/\(id):\(Self.tag(talosVersion))"
    }

    /// A boot image URL, e.g. `nocloud-amd64.iso`.
    public func imageURL(talosVersion: String, asset: String = "nocloud-amd64.iso") -> String {
        "https://factory.talos.dev/image/\(id)/\(Self.tag(talosVersion))/\(asset)"
    }

    static func tag(_ version: String) -> String {
        version.hasPrefix("v") ? version : "v" + version
    }
}
