import Foundation
import Manifests

/// configMapGenerator and secretGenerator.
enum Generators {
    static func run(_ spec: KustomizationSpec, files: any KustomizeFileSource, into list: inout ResourceList) throws {
        let globalOptions = spec.node["generatorOptions"]
        for (field, kind) in [("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")] {
            guard let value = spec.node[field], !value.isNull else { continue }
            guard let entries = value.sequence else { throw KustomizeError("'\(field)' must be a list", path: spec.path, mark: value.mark) }
            for entry in entries.items {
                var resource = try generate(kind: kind, entry: entry, options: globalOptions, spec: spec, files: files)
                try absorb(&resource, entry: entry, spec: spec, into: &list)
            }
        }
    }

    static func generate(kind: String, entry: YAMLNode, options globalOptions: YAMLNode?, spec: KustomizationSpec, files: any KustomizeFileSource) throws -> Resource {
        guard let name = entry["name"]?.string, !name.isEmpty else {
            throw KustomizeError("a \(kind) generator needs a name", path: spec.path, mark: entry.mark)
        }
        var data: [(String, String)] = []
        var binaryData: [(String, String)] = []
        func addData(_ key: String, _ value: String, mark: Mark) throws {
            if data.contains(where: { $0.0 == key }) || binaryData.contains(where: { $0.0 == key }) {
                throw KustomizeError("duplicate key '\(key)' in \(kind) generator '\(name)'", path: spec.path, mark: mark)
            }
            data.append((key, value))
        }
        for source in entry["envs"]?.sequence?.items ?? [] {
            try readEnvFile(source, spec: spec, files: files, name: name).forEach { try addData($0.0, $0.1, mark: source.mark) }
        }
        if let env = entry["env"]?.string {
            try readEnvFile(.text(env), spec: spec, files: files, name: name).forEach { try addData($0.0, $0.1, mark: entry.mark) }
        }
        for literal in entry["literals"]?.sequence?.items ?? [] {
            guard let text = literal.string else { continue }
            guard let equals = text.firstIndex(of: "=") else {
                throw KustomizeError("a literal in \(kind) generator '\(name)' has no '=' (write KEY=VALUE)", path: spec.path, mark: literal.mark)
            }
            let key = String(text[..<equals])
            try addData(key, unquote(String(text[text.index(after: equals)...])), mark: literal.mark)
        }
        for fileEntry in entry["files"]?.sequence?.items ?? [] {
            guard let text = fileEntry.string else { continue }
            var key = ""
            var relative = text
            if let equals = text.firstIndex(of: "=") {
                key = String(text[..<equals])
                relative = String(text[text.index(after: equals)...])
            } else {
                key = KustomizePath.base(text)
            }
            let path = KustomizePath.join(spec.directory, relative)
            guard let bytes = files.data(path) else {
                throw KustomizeError("\(kind) generator '\(name)' reads '\(relative)', which does not exist", path: spec.path, mark: fileEntry.mark)
            }
            if kind == "Secret" {
                try addData(key, Data(bytes).base64EncodedString(), mark: fileEntry.mark)
            } else if let text = String(bytes: bytes, encoding: .utf8) {
                try addData(key, text, mark: fileEntry.mark)
            } else {
                binaryData.append((key, Data(bytes).base64EncodedString()))
            }
        }
        var metadata: [(String, YAMLNode)] = [("name", .text(name))]
        if let namespace = entry["namespace"]?.string, !namespace.isEmpty { metadata.append(("namespace", .text(namespace))) }
        let labels = mergedPairs(globalOptions?["labels"], entry[path: "options.labels"])
        let annotations = mergedPairs(globalOptions?["annotations"], entry[path: "options.annotations"])
        if !labels.isEmpty { metadata.append(("labels", .object(labels.map { ($0.0, .text($0.1)) }))) }
        if !annotations.isEmpty { metadata.append(("annotations", .object(annotations.map { ($0.0, .text($0.1)) }))) }
        var fields: [(String, YAMLNode)] = [("apiVersion", .text("v1")), ("kind", .text(kind)), ("metadata", .object(metadata))]
        if !data.isEmpty { fields.append(("data", .object(data.map { ($0.0, .text($0.1)) }))) }
        if !binaryData.isEmpty { fields.append(("binaryData", .object(binaryData.map { ($0.0, .text($0.1)) }))) }
        if kind == "Secret" { fields.append(("type", .text(entry["type"]?.string ?? "Opaque"))) }
        let immutable = entry[path: "options.immutable"]?.bool ?? globalOptions?["immutable"]?.bool ?? false
        if immutable { fields.append(("immutable", .scalar(YAMLScalar(value: "true")))) }
        var resource = Resource(node: .object(fields), sourcePath: spec.path)
        let disableHash = (entry[path: "options.disableNameSuffixHash"]?.bool ?? false) || (globalOptions?["disableNameSuffixHash"]?.bool ?? false)
        resource.needsHashSuffix = !disableHash
        resource.generatorBehavior = entry["behavior"]?.string ?? "create"
        return resource
    }

    static func mergedPairs(_ global: YAMLNode?, _ local: YAMLNode?) -> [(String, String)] {
        var result = global?.stringPairs ?? []
        for (key, value) in local?.stringPairs ?? [] {
            if let index = result.firstIndex(where: { $0.0 == key }) { result[index].1 = value } else { result.append((key, value)) }
        }
        return result
    }

    static func unquote(_ value: String) -> String {
        if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
            return String(value.dropFirst().dropLast())
        }
        return value
    }

    static func readEnvFile(_ source: YAMLNode, spec: KustomizationSpec, files: any KustomizeFileSource, name: String) throws -> [(String, String)] {
        guard let relative = source.string else { return [] }
        let path = KustomizePath.join(spec.directory, relative)
        guard var text = files.text(path) else {
            throw KustomizeError("generator '\(name)' reads env file '\(relative)', which does not exist", path: spec.path, mark: source.mark)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var result: [(String, String)] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw KustomizeError("line \(number + 1) of '\(relative)' has no '=' (homeport does not read values from the environment)", path: path, line: number + 1)
            }
            let key = String(trimmed[..<equals])
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) else {
                throw KustomizeError("invalid key '\(key)' on line \(number + 1)", path: path, line: number + 1)
            }
            result.append((key, String(trimmed[trimmed.index(after: equals)...])))
        }
        return result
    }

    /// Adds a generated object to the list, honouring its behaviour (`create`, `merge`, `replace`).
    static func absorb(_ resource: inout Resource, entry: YAMLNode, spec: KustomizationSpec, into list: inout ResourceList) throws {
        if resource.kind == "Secret", let data = resource.node["data"]?.mapping {
            // Literal and env values are plain text until here; file values were encoded already.
            let fileKeys = Set((entry["files"]?.sequence?.items ?? []).compactMap { item -> String? in
                guard let text = item.string else { return nil }
                if let equals = text.firstIndex(of: "=") { return String(text[..<equals]) }
                return KustomizePath.base(text)
            })
            var copy = data
            copy.entries = data.entries.map { item in
                let key = item.key.scalar?.value ?? ""
                if fileKeys.contains(key) { return item }
                return .init(key: item.key, value: .text(Data((item.value.scalar?.value ?? "").utf8).base64EncodedString()))
            }
            resource.node = resource.node.setting("data", .mapping(copy))
        }
        let behavior = resource.generatorBehavior ?? "create"
        let matches = list.resources.indices.filter { index in
            let other = list.resources[index]
            return other.kind == resource.kind && other.originalName == resource.name
                && (resource.namespace.isEmpty || other.namespace == resource.namespace || other.namespace.isEmpty)
        }
        switch behavior {
        case "create":
            try list.add(resource, path: spec.path, line: entry.mark.line)
        case "merge", "replace":
            guard let index = matches.first else {
                throw KustomizeError("\(resource.kind) generator '\(resource.name)' has behavior '\(behavior)' but no such \(resource.kind) exists to \(behavior)", path: spec.path, mark: entry.mark)
            }
            var existing = list.resources[index]
            if behavior == "replace" {
                var node = resource.node.updating(["metadata", "name"], create: true) { _ in .text(existing.name) }
                if !existing.namespace.isEmpty {
                    node = node.updating(["metadata", "namespace"], create: true) { _ in .text(existing.namespace) }
                }
                existing.node = node
            } else {
                for field in ["data", "binaryData"] {
                    guard let additions = resource.node[field]?.mapping else { continue }
                    existing.node = existing.node.updating([field], create: true) { current in
                        var merged = current?.mapping ?? YAMLMapping(entries: [])
                        for item in additions.entries {
                            if let position = merged.entries.firstIndex(where: { $0.key.scalar?.value == item.key.scalar?.value }) {
                                merged.entries[position].value = item.value
                            } else {
                                merged.entries.append(item)
                            }
                        }
                        return .mapping(merged)
                    }
                }
                for field in ["labels", "annotations"] {
                    for (key, value) in resource.node[path: "metadata.\(field)"]?.stringPairs ?? [] {
                        existing.node = existing.node.updating(["metadata", field, key], create: true) { _ in .text(value) }
                    }
                }
            }
            existing.needsHashSuffix = existing.needsHashSuffix || resource.needsHashSuffix
            if resource.needsHashSuffix == false { existing.needsHashSuffix = false }
            list.resources[index] = existing
        default:
            throw KustomizeError("unknown generator behavior '\(behavior)' (use create, merge or replace)", path: spec.path, mark: entry["behavior"]?.mark)
        }
    }
}

/// The content hash kustomize appends to generated names.
enum NameHash {
    static func suffix(for node: YAMLNode) throws -> String {
        let kind = node["kind"]?.string ?? ""
        var fields: [(String, String)] = []
        func value(_ key: String) -> String {
            guard let child = node[key] else { return "\"\"" }
            if let mapping = child.mapping { return GoJSON.object(mapping) }
            return GoJSON.string(child.scalar?.value ?? "")
        }
        switch kind {
        case "ConfigMap":
            fields = [("data", value("data")), ("kind", "\"ConfigMap\""), ("name", "\"\"")]
            if node["binaryData"]?.mapping != nil { fields.insert(("binaryData", value("binaryData")), at: 0) }
        case "Secret":
            fields = [("data", value("data")), ("kind", "\"Secret\""), ("name", "\"\""), ("type", value("type"))]
            if node["stringData"]?.mapping != nil { fields.insert(("stringData", value("stringData")), at: 3) }
        default:
            fields = [("kind", GoJSON.string(kind))]
        }
        let json = "{" + fields.map { GoJSON.string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
        let hex = SHA256.hex(Array(json.utf8))
        return String(hex.prefix(10).map { character -> Character in
            switch character {
            case "0": "g"
            case "1": "h"
            case "3": "k"
            case "a": "m"
            case "e": "t"
            default: character
            }
        })
    }
}

/// JSON text exactly as Go's `encoding/json` writes it (sorted keys, HTML-safe escapes).
enum GoJSON {
    static func string(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "<": result += "\\u003c"
            case ">": result += "\\u003e"
            case "&": result += "\\u0026"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    static func object(_ mapping: YAMLMapping) -> String {
        let entries = YAMLEmitter.sortedEntries(mapping)
        return "{" + entries.map { entry in
            string(entry.key.scalar?.value ?? "") + ":" + value(entry.value)
        }.joined(separator: ",") + "}"
    }

    static func value(_ node: YAMLNode) -> String {
        switch node {
        case .mapping(let mapping): return object(mapping)
        case .sequence(let sequence): return "[" + sequence.items.map(value).joined(separator: ",") + "]"
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return "null"
            case .bool, .int, .float: return scalar.value
            case .string: return string(scalar.value)
            }
        }
    }
}
