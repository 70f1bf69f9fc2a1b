extension YAMLNode {
    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    /// The mapping, if this node is one.
    public var mapping: YAMLMapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    /// The sequence, if this node is one.
    public var sequence: YAMLSequence? {
        if case .sequence(let sequence) = self { return sequence }
        return nil
    }

    /// The text of a non-null scalar.
    public var string: String? {
        guard let scalar, scalar.kind != .null else { return nil }
        return scalar.value
    }

    /// An integer scalar's value.
    public var int: Int? {
        guard let scalar, scalar.kind == .int else { return nil }
        return Int(scalar.value)
    }

    /// A boolean scalar's value.
    public var bool: Bool? {
        guard let scalar, scalar.kind == .bool else { return nil }
        return scalar.value.lowercased() == "true"
    }

    /// True for a null scalar (`~`, `null` or nothing).
    public var isNull: Bool {
        scalar?.kind == .null
    }

    /// The value under `key` when this node is a mapping.
    public subscript(key: String) -> YAMLNode? {
        mapping?[key]
    }

    /// Follows a dotted path of mapping keys, e.g. `node[path: "spec.sourceRef.kind"]`.
    public subscript(path path: String) -> YAMLNode? {
        var node: YAMLNode? = self
        for key in path.split(separator: ".") {
            node = node?[String(key)]
        }
        return node
    }

    /// The mark of the key `key` in this mapping, which is where a finding about that field
    /// should point.
    public func keyMark(_ key: String) -> Mark? {
        mapping?.entry(key)?.key.mark
    }

    /// Calls `visit` on this node and every node below it, depth first, with the key path.
    public func walk(_ path: [String] = [], _ visit: (_ path: [String], _ node: YAMLNode) -> Void) {
        visit(path, self)
        switch self {
        case .scalar:
            break
        case .mapping(let mapping):
            for entry in mapping.entries {
                entry.value.walk(path + [entry.key.scalar?.value ?? "?"], visit)
            }
        case .sequence(let sequence):
            for (index, item) in sequence.items.enumerated() {
                item.walk(path + ["[\(index)]"], visit)
            }
        }
    }
}
