import Manifests

/// `replacements`: copy a field of one object into fields of others.
enum Replacements {
    static func run(_ spec: KustomizationSpec, files: any KustomizeFileSource, on list: inout ResourceList) throws {
        for item in spec.node["replacements"]?.sequence?.items ?? [] {
            guard let path = item["path"]?.string else {
                try replace(item, file: spec.path, on: &list)
                continue
            }
            for (replacement, file) in try loaded(from: path, item: item, spec: spec, files: files) {
                try replace(replacement, file: file, on: &list)
            }
        }
    }

    /// `- path: file.yaml`: the file holds one replacement or a list of them, as kustomize reads it.
    static func loaded(from path: String, item: YAMLNode, spec: KustomizationSpec, files: any KustomizeFileSource) throws -> [(YAMLNode, String)] {
        if item["source"] != nil || item["targets"] != nil {
            throw KustomizeError("cannot specify both path and inline replacement", path: spec.path, mark: item.mark)
        }
        let file = KustomizePath.join(spec.directory, path)
        guard files.isFile(file), let stream = files.yaml(file) else {
            throw KustomizeError("replacements file '\(path)' does not exist (looked for \(file))", path: spec.path, mark: item["path"]?.mark)
        }
        if let error = stream.error { throw KustomizeError("YAML does not parse: \(error.message)", path: file, mark: error.mark) }
        let documents = stream.documents.filter { !$0.isNull }
        guard documents.count <= 1 else { throw KustomizeError("a replacements file must hold one document", path: file, mark: documents[1].mark) }
        guard let document = documents.first else { return [] }
        let items = document.sequence?.items ?? [document]
        for replacement in items where replacement.mapping == nil {
            throw KustomizeError("a replacement must be a mapping with source and targets", path: file, mark: replacement.mark)
        }
        return items.map { ($0, file) }
    }

    static func replace(_ item: YAMLNode, file: String, on list: inout ResourceList) throws {
        guard let source = item["source"] else { throw KustomizeError("a replacement needs a source", path: file, mark: item.mark) }
        let selector = TargetSelector(node: source)
        let candidates = list.resources.filter { (try? selector.matches($0)) ?? false }
        guard candidates.count == 1, let origin = candidates.first else {
            throw KustomizeError(candidates.isEmpty ? "no object matches the replacement source" : "the replacement source matches \(candidates.count) objects",
                                 path: file, mark: source.mark)
        }
        let fieldPath = source["fieldPath"]?.string ?? "metadata.name"
        guard let found = FieldPathLookup.values(in: origin.node, path: FieldPathLookup.segments(fieldPath)).first else {
            throw KustomizeError("the replacement source field '\(fieldPath)' does not exist in \(origin.kind) \(origin.name)", path: file, mark: source.mark)
        }
        var value = found
        if let delimiter = source[path: "options.delimiter"]?.string, let index = source[path: "options.index"]?.int, let text = value.scalar?.value {
            let parts = text.components(separatedBy: delimiter)
            guard index >= 0, index < parts.count else {
                throw KustomizeError("options.index \(index) is out of range for the source value", path: file, mark: source.mark)
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
