import Foundation

/// One way a document breaks its schema: where (a `.machine.install.disk` style path) and why.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path.isEmpty ? "." : path): \(message)" }
}

extension TalosConfigSchema {
    /// Validates one complete Talos document. The `$defs` entry is picked by `kind` (the
    /// v1alpha1 config for the document with `version`); `persist` is dropped first: talosctl
    /// writes it, the schema does not list it.
    public func validate(document: SchemaValue) -> [SchemaViolation] {
        guard case .object(var entries) = document else {
            return [SchemaViolation(path: "", message: "a Talos document is a mapping, found \(document.inline)")]
        }
        let schema: SchemaValue
        if document["version"] != nil {
            entries.removeAll { $0.key == "persist" }
            guard let legacy = definition(forKind: nil) else { return [SchemaViolation(path: "", message: "the \(release) schema has no v1alpha1 config")] }
            schema = legacy
        } else {
            guard let kind = document["kind"]?.stringValue else {
                return [SchemaViolation(path: "", message: "the document has neither `version` nor `kind`")]
            }
            guard let match = definition(forKind: kind) else {
                return [SchemaViolation(path: ".kind", message: "Talos \(release) has no document kind \(kind)")]
            }
            schema = match
            // The schema's enum is checked with the kind it lists (see SchemaErrata).
            if let index = entries.firstIndex(where: { $0.key == "kind" }) {
                entries[index].value = .string(SchemaErrata.schemaKind(forDocumentKind: kind, release: release))
            }
        }
        return validate(.object(entries), against: schema, path: "")
    }

    /// Validates a value against a schema node: the draft 2020-12 keywords Talos's schemas use
    /// (type, properties, patternProperties, additionalProperties, required, items, enum,
    /// const, pattern, minimum/maximum, minItems/maxItems, allOf/anyOf/oneOf, local `$ref`).
    func validate(_ value: SchemaValue, against schemaNode: SchemaValue, path: String) -> [SchemaViolation] {
        if case .bool(let allowed) = schemaNode {
            return allowed ? [] : [SchemaViolation(path: path, message: "not allowed here")]
        }
        let schema = resolved(schemaNode)
        guard case .object = schema else { return [] }
        var problems: [SchemaViolation] = []
        func fail(_ message: String) { problems.append(SchemaViolation(path: path, message: message)) }
        if let type = schema["type"] {
            let types = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            guard types.contains(where: { Self.value(value, hasType: $0) }) else {
                fail("expected \(types.joined(separator: " or ")), found \(value.inline)")
                return problems
            }
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            fail("\(value.inline) is not one of \(options.map(\.inline).joined(separator: ", "))")
        }
        if let constant = schema["const"], constant != value { fail("must be \(constant.inline)") }
        if let pattern = schema["pattern"]?.stringValue, case .string(let text) = value,
           text.range(of: pattern, options: .regularExpression) == nil {
            fail("\(value.inline) does not match \(pattern)")
        }
        if let number = Self.number(value) {
            if let minimum = Self.number(schema["minimum"]), number < minimum { fail("\(value.inline) is below \(minimum)") }
            if let maximum = Self.number(schema["maximum"]), number > maximum { fail("\(value.inline) is above \(maximum)") }
        }
        if case .object(let entries) = value {
            for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !entries.contains(where: { $0.key == required }) {
                fail("missing required field \(required)")
            }
            for entry in entries {
                let childPath = path + "." + entry.key
                switch childSchemas(of: schema, key: entry.key) {
                case .schemas(let children):
                    for child in children { problems += validate(entry.value, against: child, path: childPath) }
                case .unknown: problems.append(SchemaViolation(path: childPath, message: "unknown field"))
                case .anything: break
                }
            }
        }
        if case .array(let items) = value {
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { problems += validate(item, against: itemSchema, path: "\(path)[\(index)]") }
            }
            if let minItems = Self.number(schema["minItems"]), Double(items.count) < minItems { fail("fewer than \(Int(minItems)) items") }
            if let maxItems = Self.number(schema["maxItems"]), Double(items.count) > maxItems { fail("more than \(Int(maxItems)) items") }
        }
        for sub in schema["allOf"]?.arrayValue ?? [] { problems += validate(value, against: sub, path: path) }
        if let anyOf = schema["anyOf"]?.arrayValue, !anyOf.contains(where: { validate(value, against: $0, path: path).isEmpty }) {
            fail("matches none of the allowed shapes (anyOf)")
        }
        if let oneOf = schema["oneOf"]?.arrayValue {
            let matching = oneOf.filter { validate(value, against: $0, path: path).isEmpty }.count
            if matching != 1 { fail("matches \(matching) of the allowed shapes, expected exactly 1 (oneOf)") }
        }
        return problems
    }

    /// What a schema says about the field `key` of an object it describes.
    enum FieldSchema {
        case schemas([SchemaValue])
        /// `additionalProperties: false`: the field does not exist.
        case unknown
        /// No constraint on the field (a free-form object).
        case anything
    }

    func childSchemas(of schemaNode: SchemaValue, key: String) -> FieldSchema {
        let schema = resolved(schemaNode)
        var found: [SchemaValue] = []
        if let property = schema["properties"]?[key] { found.append(property) }
        for entry in schema["patternProperties"]?.objectValue ?? [] where key.range(of: entry.key, options: .regularExpression) != nil {
            found.append(entry.value)
        }
        if !found.isEmpty { return .schemas(found) }
        // A field any combined branch declares is known (Talos uses oneOf only for shapes).
        for keyword in ["allOf", "anyOf", "oneOf"] {
            for branch in schema[keyword]?.arrayValue ?? [] {
                if case .schemas(let children) = childSchemas(of: branch, key: key) { found += children }
            }
        }
        if !found.isEmpty { return .schemas(found) }
        switch schema["additionalProperties"] {
        case .bool(false)?: return .unknown
        case .object(let entries)? where !entries.isEmpty: return .schemas([.object(entries)])
        default: return .anything
        }
    }

    /// The schema of a list's items, or nil when the list is free-form.
    func itemSchema(of schemaNode: SchemaValue) -> SchemaValue? {
        resolved(schemaNode)["items"]
    }

    static func value(_ value: SchemaValue, hasType type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
             ("integer", .int), ("number", .int), ("number", .double): return true
        case ("integer", .double(let number)): return number == number.rounded()
        // Homeport's ConfigValue keeps YAML floats as text, so a numeric string counts.
        case ("number", .string(let text)): return Double(text) != nil
        default: return false
        }
    }

    static func number(_ value: SchemaValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }
}
