import Foundation

/// The machine-config JSON schema of one Talos release (draft 2020-12, `$defs` per document
/// type, the document's `kind` as an enum). Built from the data this module ships.
public struct TalosConfigSchema: Sendable {
    /// The release, e.g. `v1.14`.
    public let release: TalosRelease
    let root: SchemaValue
    let definitions: [String: SchemaValue]
    /// Document kind (as Talos writes it) → `$defs` name.
    let kindDefinitions: [String: String]

    /// The `$defs` entry of the v1alpha1 document (the one with `version`, no `kind`).
    public static let legacyDefinition = "v1alpha1.Config"

    public init(release: TalosRelease, json: String) throws {
        self.release = release
        root = try SchemaValue(json: json)
        var definitions: [String: SchemaValue] = [:]
        for entry in root["$defs"]?.objectValue ?? [] { definitions[entry.key] = entry.value }
        self.definitions = definitions
        var kinds: [String: String] = [:]
        for (name, definition) in definitions {
            for kind in definition["properties"]?["kind"]?["enum"]?.arrayValue ?? [] {
                guard let kind = kind.stringValue else { continue }
                kinds[SchemaErrata.documentKind(forSchemaKind: kind, release: release)] = name
            }
        }
        kindDefinitions = kinds
    }

    /// Every document kind of the release, sorted, as Talos writes them.
    public var kinds: [String] { kindDefinitions.keys.sorted() }

    /// The `$defs` schema of a document: by `kind`, or the v1alpha1 config for `nil`.
    public func definition(forKind kind: String?) -> SchemaValue? {
        guard let kind else { return definitions[Self.legacyDefinition] }
        return kindDefinitions[kind].flatMap { definitions[$0] }
    }

    /// Follows `$ref`s (local `#/$defs/...` pointers only, the only kind Talos uses).
    func resolved(_ schema: SchemaValue) -> SchemaValue {
        var current = schema
        var hops = 0
        while let reference = current["$ref"]?.stringValue, hops < 32 {
            guard let target = pointer(reference) else { return current }
            var merged = target.objectValue ?? []
            // Keywords beside a $ref apply too (draft 2020-12); the reference's own win ties.
            for entry in current.objectValue ?? [] where entry.key != "$ref" && !merged.contains(where: { $0.key == entry.key }) {
                merged.append(entry)
            }
            current = .object(merged)
            hops += 1
        }
        return current
    }

    func pointer(_ reference: String) -> SchemaValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: SchemaValue? = root
        for token in reference.dropFirst(2).split(separator: "/") {
            node = node?[token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }
}

/// A Talos minor release (`v1.14`): the unit schemas and version contracts come in.
public struct TalosRelease: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `v1.14`, `1.14` or `v1.14.2`; nil when the text is not such a version.
    public init?(parsing text: String) {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let major = Int(parts[0]), let minor = Int(parts[1]),
              parts.count == 2 || Int(parts[2].prefix { $0.isNumber }) != nil else { return nil }
        self.init(major, minor)
    }

    public var description: String { "v\(major).\(minor)" }

    public static func < (lhs: TalosRelease, rhs: TalosRelease) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
