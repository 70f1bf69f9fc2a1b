import Foundation
import HomeportCore
import Manifests

/// A machine-config patch as talosctl reads it: either an RFC 6902 JSON patch (a YAML or
/// JSON list of operations, applied to the v1alpha1 document) or strategic-merge documents
/// (a partial v1alpha1 config and/or multi-document configs matched by kind and name).
public struct ConfigPatch: Sendable {
    public enum Body: Sendable {
        case jsonPatch([JSONPatchOperation])
        case strategicMerge([ConfigValue])
    }

    public var path: String
    public var body: Body

    /// Parses a patch file; problems name the file and line.
    public static func parse(_ text: String, path: String) throws -> ConfigPatch {
        let stream = YAMLParser.parse(text)
        if let error = stream.error {
            throw HomeportError("cannot parse the patch: \(error.message)",
                                at: SourceLocation(path: path, line: error.mark?.line, column: error.mark?.column))
        }
        let documents = stream.documents.filter { !$0.isNull }
        if documents.count == 1, let operations = documents[0].sequence {
            return ConfigPatch(path: path, body: .jsonPatch(try operations.items.map { try JSONPatchOperation(node: $0, path: path) }))
        }
        for document in documents where document.mapping == nil {
            throw HomeportError("a patch document must be a mapping (strategic merge) or a list of JSON patch operations",
                                at: SourceLocation(path: path, line: document.mark.line, column: document.mark.column))
        }
        return ConfigPatch(path: path, body: .strategicMerge(documents.map { ConfigValue($0) }))
    }

    /// Reads `@FILE` or a literal patch, as talosctl's `--config-patch` does.
    public static func load(argument: String) throws -> ConfigPatch {
        guard argument.hasPrefix("@") else { return try parse(argument, path: "--config-patch") }
        let file = String(argument.dropFirst())
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw HomeportError.usage("cannot read the patch file \(file)")
        }
        return try parse(text, path: file)
    }

    /// Applies the patch to a machine config's documents.
    public func apply(to documents: [ConfigValue]) throws -> [ConfigValue] {
        var result = documents
        switch body {
        case .jsonPatch(let operations):
            guard let index = result.firstIndex(where: { $0["version"] != nil }) else {
                throw HomeportError("a JSON patch applies to the v1alpha1 document, and there is none", at: SourceLocation(path: path))
            }
            for operation in operations {
                result[index] = try operation.apply(to: result[index], file: path)
            }
        case .strategicMerge(let patches):
            for patch in patches {
                if patch["kind"] == nil || patch["version"] != nil {
                    guard let index = result.firstIndex(where: { $0["version"] != nil }) else {
                        throw HomeportError("the patch changes the v1alpha1 document, and there is none", at: SourceLocation(path: path))
                    }
                    result[index] = StrategicMerge.merge(result[index], patch, path: [])
                    continue
                }
                let identity = { (document: ConfigValue) in document["kind"] == patch["kind"] && document["name"] == patch["name"] }
                if let index = result.firstIndex(where: identity) {
                    if patch["$patch"]?.stringValue == "delete" {
                        result.remove(at: index)
                    } else {
                        result[index] = StrategicMerge.merge(result[index], patch, path: [])
                    }
                } else if patch["$patch"]?.stringValue != "delete" {
                    result.append(patch)
                }
            }
        }
        return result
    }
}

/// Talos's merge rules: mappings merge key by key, lists append, except the lists Talos
/// marks `merge:"replace"` and the lists it merges by an identifying key.
enum StrategicMerge {
    /// Lists replaced as a whole.
    static let replacedPaths: Set<String> = [
        "cluster.network.podSubnets", "cluster.network.serviceSubnets", "machine.kubelet.nodeIP.validSubnets",
        "machine.network.nameservers", "cluster.apiServer.auditPolicy", "nameservers",
    ]
    /// Lists whose items are merged when they share the key.
    static let keyedLists: [String: [String]] = [
        "machine.network.interfaces": ["interface", "deviceSelector"],
        "cluster.apiServer.admissionControl": ["name"],
    ]

    static func merge(_ base: ConfigValue, _ patch: ConfigValue, path: [String]) -> ConfigValue {
        let dotted = path.joined(separator: ".")
        if replacedPaths.contains(dotted) { return patch }
        switch (base, patch) {
        case (.mapping, .mapping(let patchEntries)):
            var result = base
            for entry in patchEntries where entry.key != "$patch" {
                if entry.value["$patch"]?.stringValue == "delete" {
                    result.remove(entry.key)
                } else if let existing = result[entry.key] {
                    result.set(entry.key, merge(existing, entry.value, path: path + [entry.key]))
                } else {
                    result.set(entry.key, entry.value)
                }
            }
            return result
        case (.sequence(let baseItems), .sequence(let patchItems)):
            guard let keys = keyedLists[dotted] else { return .sequence(baseItems + patchItems) }
            var items = baseItems
            for item in patchItems {
                let match = items.firstIndex { existing in
                    keys.contains { key in existing[key] != nil && existing[key] == item[key] }
                }
                if let match {
                    items[match] = merge(items[match], item, path: path + ["[]"])
                } else {
                    items.append(item)
                }
            }
            return .sequence(items)
        case (_, .null):
            return base
        default:
            return patch
        }
    }
}

/// One RFC 6902 operation.
public struct JSONPatchOperation: Sendable {
    public var op: String
    public var path: String
    public var from: String?
    public var value: ConfigValue?
    var line: Int

    init(node: YAMLNode, path file: String) throws {
        let location = SourceLocation(path: file, line: node.mark.line, column: node.mark.column)
        guard node.mapping != nil, let op = node["op"]?.string, let path = node["path"]?.string else {
            throw HomeportError("a JSON patch operation needs op and path", at: location)
        }
        guard ["add", "remove", "replace", "move", "copy", "test"].contains(op) else {
            throw HomeportError("unknown JSON patch op \(op)", at: location)
        }
        self.op = op
        self.path = path
        self.from = node["from"]?.string
        self.value = node["value"].map { ConfigValue($0) }
        self.line = node.mark.line
        if ["add", "replace", "test"].contains(op), value == nil {
            throw HomeportError("JSON patch op \(op) needs a value", at: location)
        }
        if ["move", "copy"].contains(op), from == nil {
            throw HomeportError("JSON patch op \(op) needs from", at: location)
        }
    }

    func apply(to document: ConfigValue, file: String) throws -> ConfigValue {
        let location = SourceLocation(path: file, line: line)
        func fail(_ message: String) -> HomeportError { HomeportError("JSON patch \(op) \(path): \(message)", at: location) }
        let target = try Self.pointer(path, fail)
        switch op {
        case "add":
            return try Self.update(document, target, fail) { parent, last in try Self.insert(value ?? .null, into: parent, at: last, fail) }
        case "remove":
            return try Self.update(document, target, fail) { parent, last in try Self.delete(from: parent, at: last, fail) }
        case "replace":
            return try Self.update(document, target, fail) { parent, last in
                let removed = try Self.delete(from: parent, at: last, fail)
                return try Self.insert(value ?? .null, into: removed, at: last, fail)
            }
        case "test":
            guard let current = Self.get(document, target), current.isTreeEqual(to: value ?? .null) else { throw fail("test failed") }
            return document
        default:
            let source = try Self.pointer(from ?? "", fail)
            guard let moved = Self.get(document, source) else { throw fail("from \(from ?? "") does not exist") }
            var result = document
            if op == "move" {
                result = try Self.update(result, source, fail) { parent, last in try Self.delete(from: parent, at: last, fail) }
            }
            return try Self.update(result, target, fail) { parent, last in try Self.insert(moved, into: parent, at: last, fail) }
        }
    }

    static func pointer(_ text: String, _ fail: (String) -> HomeportError) throws -> [String] {
        guard text.hasPrefix("/") else { throw fail("a JSON pointer starts with /") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func get(_ value: ConfigValue, _ tokens: [String]) -> ConfigValue? {
        var node: ConfigValue? = value
        for token in tokens {
            switch node {
            case .mapping?: node = node?[token]
            case .sequence(let items)?: node = Int(token).flatMap { items.indices.contains($0) ? items[$0] : nil }
            default: return nil
            }
        }
        return node
    }

    /// Rebuilds the tree with `change` applied to the parent of the last token.
    static func update(_ value: ConfigValue, _ tokens: [String], _ fail: (String) -> HomeportError,
                       _ change: (ConfigValue, String) throws -> ConfigValue) throws -> ConfigValue {
        guard let first = tokens.first else { throw fail("cannot change the whole document") }
        if tokens.count == 1 { return try change(value, first) }
        let rest = Array(tokens.dropFirst())
        switch value {
        case .mapping:
            guard let child = value[first] else { throw fail("\(first) does not exist") }
            var result = value
            result.set(first, try update(child, rest, fail, change))
            return result
        case .sequence(var items):
            guard let index = Int(first), items.indices.contains(index) else { throw fail("index \(first) is out of range") }
            items[index] = try update(items[index], rest, fail, change)
            return .sequence(items)
        default:
            throw fail("\(first) is not inside a mapping or list")
        }
    }

    static func insert(_ item: ConfigValue, into parent: ConfigValue, at token: String, _ fail: (String) -> HomeportError) throws -> ConfigValue {
        switch parent {
        case .mapping:
            var result = parent
            result.set(token, item)
            return result
        case .sequence(var items):
            if token == "-" { items.append(item); return .sequence(items) }
            guard let index = Int(token), index >= 0, index <= items.count else { throw fail("index \(token) is out of range") }
            items.insert(item, at: index)
            return .sequence(items)
        default:
            throw fail("the parent of \(token) is not a mapping or list")
        }
    }

    static func delete(from parent: ConfigValue, at token: String, _ fail: (String) -> HomeportError) throws -> ConfigValue {
        switch parent {
        case .mapping:
            guard parent[token] != nil else { throw fail("\(token) does not exist") }
            var result = parent
            result.remove(token)
            return result
        case .sequence(var items):
            guard let index = Int(token), items.indices.contains(index) else { throw fail("index \(token) is out of range") }
            items.remove(at: index)
            return .sequence(items)
        default:
            throw fail("the parent of \(token) is not a mapping or list")
        }
    }
}
