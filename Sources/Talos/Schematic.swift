import Crypto
import HomeportCore
import Manifests
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

extension Schematic {
    /// Reads a schematic file such as `cluster/talos/schematic.yaml`. Only the fields homeport
    /// writes are accepted; anything else would change the factory's id in ways homeport
    /// cannot reproduce, so it is an error with its line.
    public static func parse(_ text: String, path: String) throws -> Schematic {
        guard let document = try ConfigValue.documents(fromYAML: text, path: path).first else { return Schematic() }
        let stream = YAMLParser.parse(text)
        func fail(_ message: String, _ node: YAMLNode?) -> HomeportError {
            HomeportError(message, at: SourceLocation(path: path, line: node?.mark.line, column: node?.mark.column))
        }
        let root = stream.documents.first
        for entry in root?.mapping?.entries ?? [] where entry.key.scalar?.value != "customization" {
            throw fail("unsupported schematic field \(entry.key.scalar?.value ?? "?") (homeport computes ids for customization only)", entry.key)
        }
        let customization = root?["customization"]
        let known: Set<String> = ["extraKernelArgs", "meta", "systemExtensions"]
        for entry in customization?.mapping?.entries ?? [] where !known.contains(entry.key.scalar?.value ?? "") {
            throw fail("unsupported schematic field customization.\(entry.key.scalar?.value ?? "?")", entry.key)
        }
        func strings(_ value: ConfigValue?, _ node: YAMLNode?, _ name: String) throws -> [String] {
            guard let value else { return [] }
            guard let items = value.items, items.allSatisfy({ $0.stringValue != nil }) else { throw fail("\(name) must be a list of strings", node) }
            return items.compactMap(\.stringValue)
        }
        let extensions = try strings(document[path: "customization.systemExtensions.officialExtensions"],
                                     customization?[path: "systemExtensions.officialExtensions"], "officialExtensions")
        let kernelArgs = try strings(document[path: "customization.extraKernelArgs"], customization?["extraKernelArgs"], "extraKernelArgs")
        var meta: [(key: Int, value: String)] = []
        for item in document[path: "customization.meta"]?.items ?? [] {
            guard case .int(let key)? = item["key"], let value = item["value"]?.stringValue else {
                throw fail("meta entries need an integer key and a string value", customization?["meta"])
            }
            meta.append((key: key, value: value))
        }
        return Schematic(officialExtensions: extensions, extraKernelArgs: kernelArgs, meta: meta)
    }
}
