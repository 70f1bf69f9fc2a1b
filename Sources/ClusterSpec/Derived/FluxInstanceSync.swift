import HomeportCore
import Manifests

/// The Git sync of the `FluxInstance` (`spec.sync.url`, `ref`, `path`), which must name the
/// repository, branch and folder of the definition's `flux:`. The file is hand-written
/// otherwise (distribution, patches, comments), so only those three scalars are derived and
/// they are edited in place.
public enum FluxInstanceSync {
    public static let fileName = "flux-instance.yaml"

    /// Beside the Flux entrypoint: `<flux.path>/flux-instance.yaml`.
    public static func path(for definition: ClusterDefinition) -> String {
        let folder = definition.flux.path.hasSuffix("/") ? String(definition.flux.path.dropLast()) : definition.flux.path
        return "\(folder)/\(fileName)"
    }

    /// The values `spec.sync` must hold, keyed by field.
    public static func values(_ definition: ClusterDefinition) -> [(field: String, value: String)] {
        [
            ("url", definition.flux.repository),
            ("ref", "refs/heads/\(definition.flux.branch)"),
            ("path", definition.flux.path),
        ]
    }

    /// `text` with the sync of its FluxInstance set to the definition's values. Throws (with
    /// file and line) when the file does not parse, holds no FluxInstance, or its `spec.sync`
    /// lacks one of the fields.
    public static func derive(_ definition: ClusterDefinition, from text: String, path: String) throws -> String {
        let stream = YAMLParser.parse(text)
        if let error = stream.error {
            throw HomeportError("does not parse: \(error.message)", at: SourceLocation(path: path, line: error.mark?.line))
        }
        let instances = stream.documents.filter { $0["kind"]?.string == "FluxInstance" }
        guard let instance = instances.first else {
            throw HomeportError("holds no FluxInstance whose sync could follow the cluster definition", at: SourceLocation(path: path, line: 1))
        }
        guard let sync = instance["spec"]?["sync"], sync.mapping != nil else {
            let line = instance["spec"]?.mark.line ?? instance.mark.line
            throw HomeportError("the FluxInstance has no spec.sync mapping to set to the cluster definition's flux repository",
                                at: SourceLocation(path: path, line: line))
        }
        var replacements: [YAMLScalarEdit.Replacement] = []
        for (field, value) in values(definition) {
            guard let scalar = sync[field]?.scalar else {
                throw HomeportError("the FluxInstance's spec.sync has no scalar `\(field)`; add `\(field): \(value)`",
                                    at: SourceLocation(path: path, line: sync.mark.line))
            }
            replacements.append(YAMLScalarEdit.Replacement(scalar, with: value))
        }
        return try YAMLScalarEdit.apply(replacements, to: text, path: path)
    }
}
