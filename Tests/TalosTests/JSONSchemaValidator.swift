import Foundation
@testable import Talos

/// A JSON-schema validator for the draft 2020-12 keywords the Talos config schemas use:
/// type, properties, patternProperties, additionalProperties, required, items, enum, const,
/// pattern, oneOf/anyOf/allOf, minItems/maxItems, minimum/maximum and local `$ref`s.
struct JSONSchemaValidator {
    let root: [String: Any]

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ValidatorError.message("schema root is not an object")
        }
        root = object
    }

    enum ValidatorError: Error { case message(String) }

    /// Validates one Talos document: the `$defs` entry is picked by `kind`, or
    /// `v1alpha1.Config` for the document with `version`; `persist` is dropped first (it is
    /// written but not in the schema).
    func validateTalosDocument(_ document: ConfigValue) -> [String] {
        var document = document
        guard let defs = root["$defs"] as? [String: Any] else { return ["schema has no $defs"] }
        let definition: String
        if document["version"] != nil {
            document.remove("persist")
            definition = "v1alpha1.Config"
        } else {
            guard let kind = document["kind"]?.stringValue else { return ["document has neither version nor kind"] }
            let match = defs.first { _, schema in
                let kinds = ((schema as? [String: Any])?["properties"] as? [String: Any])?["kind"] as? [String: Any]
                return (kinds?["enum"] as? [String])?.contains(kind) == true
            }
            guard let match else { return ["no schema for kind \(kind)"] }
            definition = match.key
        }
        guard let schema = defs[definition] else { return ["no $defs entry \(definition)"] }
        return validate(document, against: schema, path: "")
    }

    func validate(_ value: ConfigValue, against schemaAny: Any, path: String) -> [String] {
        if let flag = schemaAny as? Bool { return flag ? [] : ["\(path): not allowed"] }
        guard let schema = schemaAny as? [String: Any] else { return [] }
        var errors: [String] = []
        if let reference = schema["$ref"] as? String {
            if let target = resolve(reference) {
                errors += validate(value, against: target, path: path)
            } else {
                errors.append("\(path): unresolved $ref \(reference)")
            }
        }
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as? String].compactMap { $0 }
            if !types.contains(where: { matches(value, type: $0) }) {
                errors.append("\(path): expected \(types.joined(separator: "|")), found \(GoYAMLEncoder.inline(value))")
                return errors
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { equal(value, $0) }) {
            errors.append("\(path): \(GoYAMLEncoder.inline(value)) is not one of the allowed values")
        }
        if let constant = schema["const"], !equal(value, constant) {
            errors.append("\(path): must be \(constant)")
        }
        if let pattern = schema["pattern"] as? String, case .string(let text) = value,
           text.range(of: pattern, options: .regularExpression) == nil {
            errors.append("\(path): \(text) does not match \(pattern)")
        }
        if let minimum = schema["minimum"] as? Double, case .int(let number) = value, Double(number) < minimum {
            errors.append("\(path): below \(minimum)")
        }
        if let maximum = schema["maximum"] as? Double, case .int(let number) = value, Double(number) > maximum {
            errors.append("\(path): above \(maximum)")
        }
        if case .mapping(let entries) = value {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            let patterns = schema["patternProperties"] as? [String: Any] ?? [:]
            for required in schema["required"] as? [String] ?? [] where !entries.contains(where: { $0.key == required }) {
                errors.append("\(path): missing required \(required)")
            }
            for entry in entries {
                let childPath = path + "." + entry.key
                var covered = false
                if let property = properties[entry.key] {
                    covered = true
                    errors += validate(entry.value, against: property, path: childPath)
                }
                for (pattern, patternSchema) in patterns where entry.key.range(of: pattern, options: .regularExpression) != nil {
                    covered = true
                    errors += validate(entry.value, against: patternSchema, path: childPath)
                }
                if !covered, let additional = schema["additionalProperties"] {
                    errors += validate(entry.value, against: additional, path: childPath)
                }
            }
        }
        if case .sequence(let items) = value {
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    errors += validate(item, against: itemSchema, path: "\(path)[\(index)]")
                }
            }
            if let minItems = schema["minItems"] as? Int, items.count < minItems { errors.append("\(path): fewer than \(minItems) items") }
            if let maxItems = schema["maxItems"] as? Int, items.count > maxItems { errors.append("\(path): more than \(maxItems) items") }
        }
        for sub in schema["allOf"] as? [Any] ?? [] { errors += validate(value, against: sub, path: path) }
        if let anyOf = schema["anyOf"] as? [Any], !anyOf.contains(where: { validate(value, against: $0, path: path).isEmpty }) {
            errors.append("\(path): matches none of anyOf")
        }
        if let oneOf = schema["oneOf"] as? [Any] {
            let matching = oneOf.filter { validate(value, against: $0, path: path).isEmpty }.count
            if matching != 1 { errors.append("\(path): matches \(matching) of oneOf, expected exactly 1") }
        }
        return errors
    }

    func resolve(_ reference: String) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = root
        for token in reference.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }

    func matches(_ value: ConfigValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .mapping), ("array", .sequence), ("string", .string), ("boolean", .bool), ("null", .null),
             ("integer", .int), ("number", .int): return true
        case ("number", .string(let text)): return Double(text) != nil
        default: return false
        }
    }

    func equal(_ value: ConfigValue, _ json: Any) -> Bool {
        switch value {
        case .string(let text): return (json as? String) == text
        case .int(let number): return !isBool(json) && String(describing: json) == String(number)
        case .bool(let flag): return isBool(json) && String(describing: json) == String(flag)
        case .null: return json is NSNull
        default: return false
        }
    }

    /// JSONSerialization hands booleans back as `Bool`; their description is true/false.
    func isBool(_ json: Any) -> Bool { json is Bool && ["true", "false"].contains(String(describing: json)) }
}
