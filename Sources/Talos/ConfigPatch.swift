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
    /// The parsed documents with their marks, so the fields a release does not have can be
    /// reported at their line (``ClusterConfigRenderer/warnings()``); empty for built patches.
    public var sourceDocuments: [YAMLNode] = []

    public init(path: String, body: Body, sourceDocuments: [YAMLNode] = []) {
        self.path = path
        self.body = body
        self.sourceDocuments = sourceDocuments
    }

    /// Parses a patch file; problems name the file and line.
    public static func parse(_ text: String, path: String) throws -> ConfigPatch {
        let stream = YAMLParser.parse(text)
        if let error = stream.error {
            throw HomeportError("cannot parse the patch: \(error.message)",
                                at: SourceLocation(path: path, line: error.mark?.line, column: error.mark?.column))
        }
        let documents = stream.documents.filter { !$0.isNull }
        if documents.count == 1, let operations = documents[0].sequence {
            return ConfigPatch(path: path, body: .jsonPatch(try operations.items.map { try JSONPatchOperation(node: $0, path: path) }),
                               sourceDocuments: documents)
        }
        for document in documents where document.mapping == nil {
            throw HomeportError("a patch document must be a mapping (strategic merge) or a list of JSON patch operations",
                                at: SourceLocation(path: path, line: document.mark.line, column: document.mark.column))
        }
        return ConfigPatch(path: path, body: .strategicMerge(documents.map { ConfigValue($0) }), sourceDocuments: documents)
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
            // talosctl refuses RFC 6902 patches on multi-document configs (every config from
            // the v1.12 contract on); homeport does the same so both tools agree on the result.
            guard result.count == 1 else {
                throw HomeportError("JSON patches (RFC 6902) only apply to single-document machine configs, and this one has \(result.count) documents (Talos v1.12 and later); rewrite the patch as a strategic merge patch",
                                    at: SourceLocation(path: path, line: 1))
            }
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
