import HomeportCore
import Manifests

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
