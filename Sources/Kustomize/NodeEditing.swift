import Manifests

extension YAMLNode {
    /// A plain string scalar (quoted on output when needed).
    static func text(_ value: String) -> YAMLNode {
        .scalar(YAMLScalar(value: value, style: .doubleQuoted))
    }

    /// An empty mapping.
    static var emptyMapping: YAMLNode { .mapping(YAMLMapping(entries: [])) }

    /// A mapping of string keys to values, in the given order.
    static func object(_ pairs: [(String, YAMLNode)]) -> YAMLNode {
        .mapping(YAMLMapping(entries: pairs.map { .init(key: .text($0.0), value: $0.1) }))
    }

    /// This mapping with `key` set to `value` (replaced in place, or appended).
    func setting(_ key: String, _ value: YAMLNode) -> YAMLNode {
        guard var mapping else { return self }
        if let index = mapping.entries.firstIndex(where: { $0.key.scalar?.value == key }) {
            mapping.entries[index].value = value
        } else {
            mapping.entries.append(.init(key: .text(key), value: value))
        }
        return .mapping(mapping)
    }

    /// This mapping without `key`.
    func removing(_ key: String) -> YAMLNode {
        guard var mapping else { return self }
        mapping.entries.removeAll { $0.key.scalar?.value == key }
        return .mapping(mapping)
    }

    /// Rewrites the value at a path of mapping keys. `transform` receives the current value
    /// (nil when absent) and returns the new one (nil removes it). Missing intermediate
    /// mappings are created only when `create` is true.
    func updating(_ path: ArraySlice<String>, create: Bool, _ transform: (YAMLNode?) -> YAMLNode?) -> YAMLNode {
        guard let key = path.first else { return transform(self) ?? self }
        guard let mapping else { return self }
        let current = mapping[key]
        if path.count == 1 {
            let next = transform(current)
            if let next { return setting(key, next) }
            return current == nil ? self : removing(key)
        }
        if let current {
            if current.isNull, create {
                return setting(key, YAMLNode.emptyMapping.updating(path.dropFirst(), create: create, transform))
            }
            return setting(key, current.updating(path.dropFirst(), create: create, transform))
        }
        guard create else { return self }
        let built = YAMLNode.emptyMapping.updating(path.dropFirst(), create: create, transform)
        if built.mapping?.entries.isEmpty == true { return self }
        return setting(key, built)
    }

    /// `updating` with a `/`-separated path where a `[]` suffix on a key means "every item of
    /// this sequence" (the fieldSpec path form kustomize uses).
    func updatingFieldPath(_ path: String, create: Bool, _ transform: (YAMLNode?) -> YAMLNode?) -> YAMLNode {
        updatingSegments(path.split(separator: "/").map(String.init)[...], create: create, transform)
    }

    private func updatingSegments(_ segments: ArraySlice<String>, create: Bool, _ transform: (YAMLNode?) -> YAMLNode?) -> YAMLNode {
        guard let first = segments.first else { return transform(self) ?? self }
        if first.hasSuffix("[]") {
            let key = String(first.dropLast(2))
            guard let sequence = self[key]?.sequence else { return self }
            var copy = sequence
            copy.items = sequence.items.map { $0.updatingSegments(segments.dropFirst(), create: create, transform) }
            return setting(key, .sequence(copy))
        }
        if segments.count == 1 {
            return updating([first], create: create, transform)
        }
        guard let mapping else { return self }
        if let child = mapping[first], !child.isNull {
            return setting(first, child.updatingSegments(segments.dropFirst(), create: create, transform))
        }
        guard create, !segments.dropFirst().contains(where: { $0.hasSuffix("[]") }) else { return self }
        let built = YAMLNode.emptyMapping.updatingSegments(segments.dropFirst(), create: create, transform)
        if built.mapping?.entries.isEmpty == true { return self }
        return setting(first, built)
    }

    /// A mapping of string keys to string values, in order (labels, annotations, data).
    var stringPairs: [(String, String)] {
        (mapping?.entries ?? []).compactMap { entry in
            guard let key = entry.key.scalar?.value, let value = entry.value.scalar?.value else { return nil }
            return (key, value)
        }
    }

    /// Structural equality ignoring marks and styles (scalars compare by value and type).
    func sameTree(as other: YAMLNode) -> Bool {
        switch (self, other) {
        case (.scalar(let left), .scalar(let right)):
            return left.value == right.value && left.kind == right.kind
        case (.sequence(let left), .sequence(let right)):
            return left.items.count == right.items.count && zip(left.items, right.items).allSatisfy { $0.sameTree(as: $1) }
        case (.mapping(let left), .mapping(let right)):
            guard left.entries.count == right.entries.count else { return false }
            return left.entries.allSatisfy { entry in
                guard let key = entry.key.scalar?.value, let match = right[key] else { return false }
                return entry.value.sameTree(as: match)
            }
        default:
            return false
        }
    }
}
