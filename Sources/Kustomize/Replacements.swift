import Manifests

/// `replacements`: copy a field of one object into fields of others.
enum Replacements {
    static func run(_ spec: KustomizationSpec, on list: inout ResourceList) throws {
        for item in spec.node["replacements"]?.sequence?.items ?? [] {
            if item["path"] != nil {
                throw KustomizeError("replacements loaded from a file ('path') are not supported; write them inline", path: spec.path, mark: item.mark)
            }
            try replace(item, spec: spec, on: &list)
        }
    }

    static func replace(_ item: YAMLNode, spec: KustomizationSpec, on list: inout ResourceList) throws {
        guard let source = item["source"] else { throw KustomizeError("a replacement needs a source", path: spec.path, mark: item.mark) }
        let selector = TargetSelector(node: source)
        let candidates = list.resources.filter { (try? selector.matches($0)) ?? false }
        guard candidates.count == 1, let origin = candidates.first else {
            throw KustomizeError(candidates.isEmpty ? "no object matches the replacement source" : "the replacement source matches \(candidates.count) objects",
                                 path: spec.path, mark: source.mark)
        }
        let fieldPath = source["fieldPath"]?.string ?? "metadata.name"
        guard let found = FieldPathLookup.values(in: origin.node, path: FieldPathLookup.segments(fieldPath)).first else {
            throw KustomizeError("the replacement source field '\(fieldPath)' does not exist in \(origin.kind) \(origin.name)", path: spec.path, mark: source.mark)
        }
        var value = found
        if let delimiter = source[path: "options.delimiter"]?.string, let index = source[path: "options.index"]?.int, let text = value.scalar?.value {
            let parts = text.components(separatedBy: delimiter)
            guard index >= 0, index < parts.count else {
                throw KustomizeError("options.index \(index) is out of range for the source value", path: spec.path, mark: source.mark)
            }
            value = .text(parts[index])
        }
        for target in item["targets"]?.sequence?.items ?? [] {
            let select = target["select"].map(TargetSelector.init(node:))
            let rejects = (target["reject"]?.sequence?.items ?? []).map(TargetSelector.init(node:))
            let create = target[path: "options.create"]?.bool ?? false
            let delimiter = target[path: "options.delimiter"]?.string
            let index = target[path: "options.index"]?.int ?? 0
            for position in list.resources.indices {
                let resource = list.resources[position]
                if let select, !((try? select.matches(resource)) ?? false) { continue }
                if rejects.contains(where: { (try? $0.matches(resource)) ?? false }) { continue }
                for pathNode in target["fieldPaths"]?.sequence?.items ?? [] {
                    guard let path = pathNode.string else { continue }
                    list.resources[position].node = FieldPathLookup.set(in: list.resources[position].node, path: FieldPathLookup.segments(path)[...], create: create) { current in
                        guard let delimiter, let text = current?.scalar?.value, let replacement = value.scalar?.value else { return value }
                        var parts = text.components(separatedBy: delimiter)
                        if index >= parts.count { parts.append(replacement) } else if index < 0 { parts.insert(replacement, at: 0) } else { parts[index] = replacement }
                        return .text(parts.joined(separator: delimiter))
                    }
                }
            }
        }
    }
}

import Foundation

/// kustomize field paths: `spec.template.spec.containers.[name=app].image`, with numeric
/// indices and `*` for every item.
enum FieldPathLookup {
    static func segments(_ path: String) -> [String] {
        var result: [String] = []
        var current = ""
        var depth = 0
        for character in path {
            if character == "[" { depth += 1 }
            if character == "]" { depth -= 1 }
            if character == ".", depth == 0 {
                result.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        result.append(current)
        return result.filter { !$0.isEmpty }
    }

    static func values(in node: YAMLNode, path: [String]) -> [YAMLNode] {
        guard let segment = path.first else { return [node] }
        let rest = Array(path.dropFirst())
        if let sequence = node.sequence {
            return matchingIndices(sequence, segment).flatMap { values(in: sequence.items[$0], path: rest) }
        }
        guard let child = node[segment] else { return [] }
        return values(in: child, path: rest)
    }

    static func matchingIndices(_ sequence: YAMLSequence, _ segment: String) -> [Int] {
        if segment == "*" { return Array(sequence.items.indices) }
        if let index = Int(segment) { return index >= 0 && index < sequence.items.count ? [index] : [] }
        if segment.hasPrefix("["), segment.hasSuffix("]"), let equals = segment.firstIndex(of: "=") {
            let key = String(segment[segment.index(after: segment.startIndex)..<equals])
            let value = String(segment[segment.index(after: equals)..<segment.index(before: segment.endIndex)])
            return sequence.items.indices.filter { sequence.items[$0][key]?.scalar?.value == value }
        }
        return []
    }

    static func set(in node: YAMLNode, path: ArraySlice<String>, create: Bool, _ transform: (YAMLNode?) -> YAMLNode) -> YAMLNode {
        guard let segment = path.first else { return transform(node) }
        if var sequence = node.sequence {
            for index in matchingIndices(sequence, segment) {
                sequence.items[index] = set(in: sequence.items[index], path: path.dropFirst(), create: create, transform)
            }
            return .sequence(sequence)
        }
        guard node.mapping != nil else { return node }
        if path.count == 1 {
            if node[segment] == nil, !create { return node }
            return node.setting(segment, transform(node[segment]))
        }
        if let child = node[segment], !child.isNull {
            return node.setting(segment, set(in: child, path: path.dropFirst(), create: create, transform))
        }
        guard create else { return node }
        return node.setting(segment, set(in: .emptyMapping, path: path.dropFirst(), create: create, transform))
    }
}
