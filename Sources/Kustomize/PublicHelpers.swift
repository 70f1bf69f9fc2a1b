import Manifests

extension Kustomizer {
    /// Applies kustomize `patches` entries (strategic merge or JSON 6902, with targets) to
    /// loose objects, e.g. the Flux Operator's FluxInstance patches to the objects it creates.
    public static func applyPatches(_ patches: YAMLNode, to nodes: [YAMLNode], path: String) throws -> [YAMLNode] {
        var list = ResourceList()
        list.resources = nodes.map { Resource(node: $0, sourcePath: path) }
        let spec = try KustomizationSpec(node: YAMLNode.object([("patches", patches)]), path: path)
        try Patches.patchesField(spec, files: EmptyFileSource(), on: &list)
        return list.resources.map(\.node)
    }
}

/// A file source with no files (for operations that must not read any).
struct EmptyFileSource: KustomizeFileSource {
    func text(_ path: String) -> String? { nil }
    func data(_ path: String) -> [UInt8]? { nil }
    func yaml(_ path: String) -> YAMLStream? { nil }
    func isDirectory(_ path: String) -> Bool { false }
    func isFile(_ path: String) -> Bool { false }
    func fileNames(in directory: String) -> [String] { [] }
    func directoryNames(in directory: String) -> [String] { [] }
}

extension YAMLNode {
    /// A string scalar that is always read back as a string.
    public static func quotedString(_ value: String) -> YAMLNode { .text(value) }

    /// A mapping with string keys, in order.
    public static func keyed(_ pairs: [(String, YAMLNode)]) -> YAMLNode { .object(pairs) }

    /// This mapping with `key` set (public form of the internal editing helper).
    public func with(_ key: String, _ value: YAMLNode) -> YAMLNode { setting(key, value) }

    /// This mapping without `key`.
    public func without(_ key: String) -> YAMLNode { removing(key) }

    /// Rewrites the value at a key path, creating mappings on the way when `create` is true.
    public func updated(_ path: [String], create: Bool, _ transform: (YAMLNode?) -> YAMLNode?) -> YAMLNode {
        updating(path[...], create: create, transform)
    }
}
