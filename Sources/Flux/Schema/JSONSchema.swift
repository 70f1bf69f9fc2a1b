import Foundation
import Manifests

/// A JSON schema node, reduced to what Kubernetes schemas use: types, properties,
/// additionalProperties, required, items, enum, anyOf/oneOf/allOf, `$ref`, int-or-string and
/// `x-kubernetes-preserve-unknown-fields`.
public final class JSONSchema: Sendable {
    public enum Additional: Sendable {
        case allowed
        case forbidden
        case schema(JSONSchema)
    }

    let types: Set<String>?
    let properties: [String: JSONSchema]
    let additional: Additional
    let required: [String]
    let items: JSONSchema?
    let enumValues: [String]?
    let anyOf: [JSONSchema]
    let oneOf: [JSONSchema]
    let allOf: [JSONSchema]
    let reference: String?
    let intOrString: Bool
    let preserveUnknown: Bool

    init(types: Set<String>?, properties: [String: JSONSchema], additional: Additional, required: [String], items: JSONSchema?,
         enumValues: [String]?, anyOf: [JSONSchema], oneOf: [JSONSchema], allOf: [JSONSchema], reference: String?,
         intOrString: Bool, preserveUnknown: Bool) {
        self.types = types
        self.properties = properties
        self.additional = additional
        self.required = required
        self.items = items
        self.enumValues = enumValues
        self.anyOf = anyOf
        self.oneOf = oneOf
        self.allOf = allOf
        self.reference = reference
        self.intOrString = intOrString
        self.preserveUnknown = preserveUnknown
    }

    /// Converts a decoded JSON value. `strictNested` adds `additionalProperties: false` to
    /// nested objects that list properties (the openapi2jsonschema "strict" conversion).
    init(json: Any, strictNested: Bool = false, isRoot: Bool = true) {
        let object = json as? [String: Any] ?? [:]
        if let type = object["type"] as? String {
            types = [type]
        } else if let list = object["type"] as? [String] {
            types = Set(list)
        } else {
            types = nil
        }
        var properties: [String: JSONSchema] = [:]
        for (key, value) in object["properties"] as? [String: Any] ?? [:] {
            properties[key] = JSONSchema(json: value, strictNested: strictNested, isRoot: false)
        }
        self.properties = properties
        preserveUnknown = object["x-kubernetes-preserve-unknown-fields"] as? Bool ?? false
        if let flag = object["additionalProperties"] as? Bool {
            additional = flag ? .allowed : .forbidden
        } else if let schema = object["additionalProperties"] as? [String: Any] {
            additional = .schema(JSONSchema(json: schema, strictNested: strictNested, isRoot: false))
        } else if strictNested, !isRoot, !properties.isEmpty, !preserveUnknown {
            additional = .forbidden
        } else {
            additional = .allowed
        }
        required = object["required"] as? [String] ?? []
        items = (object["items"] as? [String: Any]).map { JSONSchema(json: $0, strictNested: strictNested, isRoot: false) }
        enumValues = (object["enum"] as? [Any]).map { $0.map(Self.canonical) }
        anyOf = (object["anyOf"] as? [Any] ?? []).map { JSONSchema(json: $0, strictNested: strictNested, isRoot: false) }
        oneOf = (object["oneOf"] as? [Any] ?? []).map { JSONSchema(json: $0, strictNested: strictNested, isRoot: false) }
        allOf = (object["allOf"] as? [Any] ?? []).map { JSONSchema(json: $0, strictNested: strictNested, isRoot: false) }
        reference = object["$ref"] as? String
        intOrString = object["x-kubernetes-int-or-string"] as? Bool ?? (object["format"] as? String == "int-or-string")
    }

    static func canonical(_ value: Any) -> String {
        if let string = value as? String { return "s:" + string }
        if let flag = value as? Bool, String(describing: type(of: value)).contains("Bool") { return "b:" + (flag ? "true" : "false") }
        if let number = value as? NSNumber { return "n:" + number.stringValue }
        if value is NSNull { return "null" }
        return "?"
    }

    /// A YAML tree (a CRD's openAPIV3Schema) as the JSON value JSONSerialization would give.
    public static func jsonValue(_ node: YAMLNode) -> Any {
        switch node {
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return NSNull()
            case .bool: return scalar.value.lowercased() == "true"
            case .int: return NSNumber(value: Int(scalar.value) ?? 0)
            case .float: return NSNumber(value: Double(scalar.value) ?? 0)
            case .string: return scalar.value
            }
        case .sequence(let sequence):
            return sequence.items.map(jsonValue)
        case .mapping(let mapping):
            var result: [String: Any] = [:]
            for entry in mapping.entries {
                result[entry.key.scalar?.value ?? ""] = jsonValue(entry.value)
            }
            return result
        }
    }
}

/// One schema violation, at the node that violates it.
public struct SchemaViolation: Sendable {
    public var path: String
    public var message: String
    public var mark: Mark
    /// A field the schema does not declare (a warning for built-in CRD snapshots).
    public var isUnknownField = false
}

/// Validates YAML trees against ``JSONSchema``s, resolving `$ref` through a definitions table.
public struct SchemaValidator: Sendable {
    let definitions: DefinitionTable?
    /// Set for the built-in CRD snapshots: the user's chart may be newer than the snapshot, so
    /// a field it does not know is a warning rather than an error.
    public var unknownFieldsAreWarnings = false

    func resolve(_ schema: JSONSchema) -> JSONSchema? {
        guard let reference = schema.reference else { return schema }
        guard let name = reference.split(separator: "/").last.map(String.init) else { return nil }
        return definitions?.schema(named: name)
    }

    public func validate(_ node: YAMLNode, against schema: JSONSchema) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        check(node, schema, path: "", into: &violations)
        return violations
    }

    func check(_ node: YAMLNode, _ original: JSONSchema, path: String, into violations: inout [SchemaViolation]) {
        guard let schema = resolve(original) else { return }
        // An explicit null means "unset" to the API server.
        if node.isNull { return }
        for part in schema.allOf { check(node, part, path: path, into: &violations) }
        if !schema.anyOf.isEmpty || !schema.oneOf.isEmpty {
            let options = schema.anyOf.isEmpty ? schema.oneOf : schema.anyOf
            let passing = options.contains { option in
                var trial: [SchemaViolation] = []
                check(node, option, path: path, into: &trial)
                return trial.isEmpty
            }
            if !passing {
                var first: [SchemaViolation] = []
                if let option = options.first { check(node, option, path: path, into: &first) }
                violations.append(SchemaViolation(path: path, message: first.first.map { "\($0.message) (and no alternative of the schema matches)" } ?? "matches none of the allowed forms", mark: node.mark,
                                                  isUnknownField: first.first?.isUnknownField ?? false))
                return
            }
        }
        if schema.intOrString {
            if let scalar = node.scalar, scalar.kind == .int || scalar.kind == .string { return }
            violations.append(SchemaViolation(path: path, message: "expected an integer or a string, got \(describe(node))", mark: node.mark))
            return
        }
        if let types = schema.types, !matches(node, types) {
            violations.append(SchemaViolation(path: path, message: "expected \(types.filter { $0 != "null" }.sorted().joined(separator: " or ")), got \(describe(node))", mark: node.mark))
            return
        }
        if let enumValues = schema.enumValues, let scalar = node.scalar {
            let value = canonical(scalar)
            if !enumValues.contains(value) {
                let allowed = enumValues.map { $0.split(separator: ":", maxSplits: 1).last.map(String.init) ?? $0 }
                violations.append(SchemaViolation(path: path, message: "'\(scalar.value)' is not one of \(allowed.joined(separator: ", "))", mark: node.mark))
            }
        }
        switch node {
        case .mapping(let mapping):
            let keys = Set(mapping.entries.compactMap { $0.key.scalar?.value })
            for name in schema.required where !keys.contains(name) {
                violations.append(SchemaViolation(path: path, message: "missing required field '\(name)'", mark: node.mark))
            }
            for entry in mapping.entries {
                let key = entry.key.scalar?.value ?? ""
                let childPath = path.isEmpty ? key : path + "." + key
                if let property = schema.properties[key] {
                    check(entry.value, property, path: childPath, into: &violations)
                } else if schema.preserveUnknown {
                    continue
                } else {
                    switch schema.additional {
                    case .allowed: continue
                    case .forbidden:
                        violations.append(SchemaViolation(path: childPath, message: "unknown field '\(key)'", mark: entry.key.mark, isUnknownField: true))
                    case .schema(let additional):
                        check(entry.value, additional, path: childPath, into: &violations)
                    }
                }
            }
        case .sequence(let sequence):
            if let items = schema.items {
                for (index, item) in sequence.items.enumerated() {
                    check(item, items, path: "\(path)[\(index)]", into: &violations)
                }
            }
        case .scalar:
            break
        }
    }

    func matches(_ node: YAMLNode, _ types: Set<String>) -> Bool {
        switch node {
        case .mapping: return types.contains("object")
        case .sequence: return types.contains("array")
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return true
            case .bool: return types.contains("boolean")
            case .int: return types.contains("integer") || types.contains("number")
            case .float: return types.contains("number")
            case .string: return types.contains("string")
            }
        }
    }

    func canonical(_ scalar: YAMLScalar) -> String {
        switch scalar.kind {
        case .string: return "s:" + scalar.value
        case .bool: return "b:" + scalar.value.lowercased()
        case .int, .float: return "n:" + scalar.value
        case .null: return "null"
        }
    }

    func describe(_ node: YAMLNode) -> String {
        switch node {
        case .mapping: return "an object"
        case .sequence: return "a list"
        case .scalar(let scalar):
            switch scalar.kind {
            case .string: return "a string"
            case .int: return "an integer"
            case .float: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }
    }
}

/// Shared `$defs`: a JSON table converted on first use, or a built-in schema chunk.
final class DefinitionTable: @unchecked Sendable {
    private let raw: [String: Any]
    private let chunk: SchemaChunk?
    private var converted: [String: JSONSchema] = [:]
    private let lock = NSLock()

    init(raw: [String: Any]) {
        self.raw = raw
        chunk = nil
    }

    init(chunk: SchemaChunk) {
        raw = [:]
        self.chunk = chunk
    }

    func schema(named name: String) -> JSONSchema? {
        if let chunk { return try? chunk.schema("def/" + name) }
        lock.lock()
        defer { lock.unlock() }
        if let schema = converted[name] { return schema }
        guard let value = raw[name] else { return nil }
        let schema = JSONSchema(json: value)
        converted[name] = schema
        return schema
    }
}
