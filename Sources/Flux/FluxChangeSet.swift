import Kustomize
import Manifests

/// What changes between two renderings of the Flux tree, object by object and field by field
/// (the way dyff reports YAML changes), with the container images that change.
public struct FluxChangeSet: Sendable {
    /// One field whose value differs; nil on one side when the field is added or removed.
    public struct FieldChange: Sendable, Equatable {
        /// Dotted path; list items that carry a `name` are addressed by it: `spec.containers[web].image`.
        public var path: String
        public var old: String?
        public var new: String?
    }

    public enum Change: String, Sendable {
        case added, removed, modified
    }

    /// One object of one Flux Kustomization that is added, removed or modified.
    public struct ObjectChange: Sendable {
        /// `namespace/name` of the Flux Kustomization that applies it.
        public var kustomization: String
        public var kind: String
        public var namespace: String
        public var name: String
        public var change: Change
        /// The fields that differ (for modified objects).
        public var fields: [FieldChange]

        public var title: String { "\(kind) \(namespace.isEmpty ? "" : namespace + "/")\(name)" }
    }

    /// An image reference that appears or disappears in an object.
    public struct ImageChange: Sendable, Equatable {
        public var object: String
        public var old: String?
        public var new: String?
    }

    public var objects: [ObjectChange]
    public var images: [ImageChange]

    public var isEmpty: Bool { objects.isEmpty }

    /// The changes that turn `old` into `new`.
    public init(old: FluxTree, new: FluxTree) {
        let before = Self.index(old), after = Self.index(new)
        var objects: [ObjectChange] = []
        var images: [ImageChange] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            let left = before[key], right = after[key]
            guard let object = right ?? left else { continue }
            var change = ObjectChange(kustomization: object.kustomization, kind: object.rendered.kind, namespace: object.rendered.namespace,
                                      name: object.rendered.name, change: .modified, fields: [])
            switch (left, right) {
            case (nil, _): change.change = .added
            case (_, nil): change.change = .removed
            case (let left?, let right?):
                change.fields = FieldDiff.changes(left.rendered.node, right.rendered.node, secret: object.rendered.kind == "Secret")
                guard !change.fields.isEmpty else { continue }
            }
            objects.append(change)
            let oldImages = left.map { Self.images(in: $0.rendered.node) } ?? []
            let newImages = right.map { Self.images(in: $0.rendered.node) } ?? []
            let removed = oldImages.subtracting(newImages).sorted(), added = newImages.subtracting(oldImages).sorted()
            for index in 0..<max(removed.count, added.count) {
                images.append(ImageChange(object: change.title, old: index < removed.count ? removed[index] : nil,
                                          new: index < added.count ? added[index] : nil))
            }
        }
        self.objects = objects
        self.images = images
    }

    private struct IndexedObject {
        var kustomization: String
        var rendered: RenderedObject
    }

    private static func index(_ tree: FluxTree) -> [String: IndexedObject] {
        var result: [String: IndexedObject] = [:]
        for kustomization in tree.kustomizations {
            let owner = "\(kustomization.reference.namespace)/\(kustomization.reference.name)"
            for object in kustomization.objects {
                let key = "\(owner)/\(object.group)/\(object.kind)/\(object.namespace)/\(object.name)"
                result[key] = IndexedObject(kustomization: owner, rendered: object)
            }
        }
        return result
    }

    /// Every `image:` string and every `image: {repository, tag}` pair (Helm values) in a node.
    static func images(in node: YAMLNode) -> Set<String> {
        var found: Set<String> = []
        func walk(_ node: YAMLNode) {
            switch node {
            case .scalar: return
            case .sequence(let sequence): sequence.items.forEach(walk)
            case .mapping(let mapping):
                for entry in mapping.entries {
                    if entry.key.string == "image" {
                        if let image = entry.value.string, !image.isEmpty { found.insert(image) }
                        if let repository = entry.value["repository"]?.string {
                            let tag = entry.value["tag"]?.string.map { ":" + $0 } ?? ""
                            found.insert(repository + tag)
                        }
                    }
                    walk(entry.value)
                }
            }
        }
        walk(node)
        return found
    }
}

/// The field-level comparison of two YAML trees.
enum FieldDiff {
    static func changes(_ old: YAMLNode, _ new: YAMLNode, secret: Bool) -> [FluxChangeSet.FieldChange] {
        var result: [FluxChangeSet.FieldChange] = []
        compare(old, new, path: "", secret: secret, into: &result)
        return result
    }

    private static func compare(_ old: YAMLNode?, _ new: YAMLNode?, path: String, secret: Bool,
                                into result: inout [FluxChangeSet.FieldChange]) {
        switch (old, new) {
        case (.mapping(let left)?, .mapping(let right)?):
            var keys: [String] = []
            for entry in left.entries + right.entries {
                if let key = entry.key.string, !keys.contains(key) { keys.append(key) }
            }
            for key in keys {
                compare(left[key], right[key], path: join(path, key), secret: secret, into: &result)
            }
        case (.sequence(let left)?, .sequence(let right)?):
            let leftNames = left.items.map { $0["name"]?.string }, rightNames = right.items.map { $0["name"]?.string }
            if leftNames.allSatisfy({ $0 != nil }), rightNames.allSatisfy({ $0 != nil }),
               Set(leftNames).count == leftNames.count, Set(rightNames).count == rightNames.count {
                var names: [String] = []
                for name in (leftNames + rightNames).compactMap({ $0 }) where !names.contains(name) { names.append(name) }
                for name in names {
                    let leftItem = left.items.first { $0["name"]?.string == name }
                    let rightItem = right.items.first { $0["name"]?.string == name }
                    compare(leftItem, rightItem, path: path + "[\(name)]", secret: secret, into: &result)
                }
            } else {
                for index in 0..<max(left.items.count, right.items.count) {
                    compare(index < left.items.count ? left.items[index] : nil, index < right.items.count ? right.items[index] : nil,
                            path: path + "[\(index)]", secret: secret, into: &result)
                }
            }
        default:
            let before = old.map(render), after = new.map(render)
            guard before != after else { return }
            // A Secret's values are never shown, whatever their encoding.
            if secret, path.hasPrefix("data.") || path.hasPrefix("stringData.") {
                result.append(.init(path: path, old: before == nil ? nil : "(hidden)", new: after == nil ? nil : "(hidden)"))
            } else {
                result.append(.init(path: path, old: before, new: after))
            }
        }
    }

    private static func join(_ path: String, _ key: String) -> String {
        let segment = key.contains(".") ? "\"\(key)\"" : key
        return path.isEmpty ? segment : path + "." + segment
    }

    /// A value as one readable text: scalars as they are, structures as compact YAML.
    private static func render(_ node: YAMLNode) -> String {
        if let scalar = node.scalar { return scalar.value }
        return YAMLEmitter.emit(document: node).trimmingCharacters(in: .newlines)
    }
}
