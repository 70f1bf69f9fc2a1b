import Manifests

/// RFC 6902 JSON patches applied to YAML trees (`add`, `remove`, `replace`, `move`, `copy`, `test`).
enum JSONPatch {
    struct Failure: Error {
        var message: String
    }

    static func apply(_ operations: YAMLNode, to document: YAMLNode) throws -> YAMLNode {
        guard let list = operations.sequence else { throw Failure(message: "a JSON 6902 patch must be a list of operations") }
        var result = document
        for operation in list.items {
            guard let op = operation["op"]?.string, let path = operation["path"]?.string else {
                throw Failure(message: "a JSON 6902 operation needs 'op' and 'path'")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw Failure(message: "'add' at \(path) has no value") }
                result = try add(value, at: pointer[...], in: result, path: path)
            case "remove":
                _ = try get(pointer[...], in: result, path: path)
                result = try remove(pointer[...], in: result, path: path)
            case "replace":
                guard let value = operation["value"] else { throw Failure(message: "'replace' at \(path) has no value") }
                _ = try get(pointer[...], in: result, path: path)
                result = try remove(pointer[...], in: result, path: path)
                result = try add(value, at: pointer[...], in: result, path: path)
            case "move", "copy":
                guard let from = operation["from"]?.string else { throw Failure(message: "'\(op)' at \(path) has no 'from'") }
                let fromPointer = try parsePointer(from)
                let value = try get(fromPointer[...], in: result, path: from)
                if op == "move" { result = try remove(fromPointer[...], in: result, path: from) }
                result = try add(value, at: pointer[...], in: result, path: path)
            case "test":
                let actual = try get(pointer[...], in: result, path: path)
                guard let expected = operation["value"], actual.sameTree(as: expected) else {
                    throw Failure(message: "'test' at \(path) failed")
                }
            default:
                throw Failure(message: "unknown JSON 6902 operation '\(op)'")
            }
        }
        return result
    }

    static func parsePointer(_ path: String) throws -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw Failure(message: "JSON pointer '\(path)' must start with '/'") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func get(_ pointer: ArraySlice<String>, in node: YAMLNode, path: String) throws -> YAMLNode {
        guard let token = pointer.first else { return node }
        switch node {
        case .mapping(let mapping):
            guard let child = mapping[token] else { throw Failure(message: "path \(path) does not exist") }
            return try get(pointer.dropFirst(), in: child, path: path)
        case .sequence(let sequence):
            guard let index = Int(token), index >= 0, index < sequence.items.count else { throw Failure(message: "path \(path) does not exist") }
            return try get(pointer.dropFirst(), in: sequence.items[index], path: path)
        case .scalar:
            throw Failure(message: "path \(path) does not exist")
        }
    }

    static func add(_ value: YAMLNode, at pointer: ArraySlice<String>, in node: YAMLNode, path: String) throws -> YAMLNode {
        guard let token = pointer.first else { return value }
        let last = pointer.count == 1
        switch node {
        case .mapping(let mapping):
            if last { return node.setting(token, value) }
            guard let child = mapping[token] else { throw Failure(message: "add operation does not apply: doc is missing path: \(path)") }
            return node.setting(token, try add(value, at: pointer.dropFirst(), in: child, path: path))
        case .sequence(var sequence):
            if last {
                if token == "-" {
                    sequence.items.append(value)
                } else {
                    guard let index = Int(token), index >= 0, index <= sequence.items.count else {
                        throw Failure(message: "add operation does not apply: index out of range in \(path)")
                    }
                    sequence.items.insert(value, at: index)
                }
                return .sequence(sequence)
            }
            guard let index = Int(token), index >= 0, index < sequence.items.count else {
                throw Failure(message: "add operation does not apply: doc is missing path: \(path)")
            }
            sequence.items[index] = try add(value, at: pointer.dropFirst(), in: sequence.items[index], path: path)
            return .sequence(sequence)
        case .scalar:
            throw Failure(message: "add operation does not apply: doc is missing path: \(path)")
        }
    }

    static func remove(_ pointer: ArraySlice<String>, in node: YAMLNode, path: String) throws -> YAMLNode {
        guard let token = pointer.first else { return node }
        let last = pointer.count == 1
        switch node {
        case .mapping(let mapping):
            guard let child = mapping[token] else { throw Failure(message: "path \(path) does not exist") }
            if last { return node.removing(token) }
            return node.setting(token, try remove(pointer.dropFirst(), in: child, path: path))
        case .sequence(var sequence):
            guard let index = Int(token), index >= 0, index < sequence.items.count else { throw Failure(message: "path \(path) does not exist") }
            if last {
                sequence.items.remove(at: index)
            } else {
                sequence.items[index] = try remove(pointer.dropFirst(), in: sequence.items[index], path: path)
            }
            return .sequence(sequence)
        case .scalar:
            throw Failure(message: "path \(path) does not exist")
        }
    }
}
