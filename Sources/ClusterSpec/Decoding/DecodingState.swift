import Manifests

/// Collects problems and value marks while a cluster definition file is read, so every
/// problem is reported, not just the first.
final class DecodingState {
    var issues: [ClusterDefinitionIssue] = []
    var marks = SourceMarks()
    /// False once a required value is missing or unusable: no ``ClusterDefinition`` can be built.
    var isComplete = true

    func report(_ message: String, at mark: Mark?, kind: ClusterDefinitionIssue.Kind = .definition) {
        issues.append(ClusterDefinitionIssue(message, at: mark, kind: kind))
    }

    /// `a.b` or `a[0]`, without a leading dot at the root.
    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// What a node is, in words, for "found …" messages.
    static func describe(_ node: YAMLNode) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return "nothing"
            case .bool: return "a boolean (\(scalar.value))"
            case .int, .float: return "a number (\(scalar.value.prefix(40)))"
            case .string: return quote(scalar.value)
            }
        }
    }

    /// A value quoted for a message, shortened so a huge value cannot flood the output.
    static func quote(_ text: String) -> String {
        let limit = 80
        return text.count <= limit ? "'\(text)'" : "'\(text.prefix(limit))…' (\(text.count) characters)"
    }

    /// True for a value that says nothing: `~`, `null`, an empty plain or quoted scalar.
    static func isEmpty(_ node: YAMLNode) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.kind == .null || scalar.value.isEmpty
    }
}
