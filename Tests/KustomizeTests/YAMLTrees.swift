import Foundation
import Kustomize
import Manifests
import TestSupport

/// Compares kustomize outputs as sequences of YAML trees: document order exactly, mapping
/// key order ignored, scalars by type and value.
enum YAMLTrees {
    static func canonical(_ text: String) -> [String] {
        let stream = YAMLParser.parse(text)
        return stream.documents.filter { !$0.isNull }.map(canonical) + (stream.error.map { ["parse error: \($0.message)"] } ?? [])
    }

    static func canonical(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let scalar):
            return "\(scalar.kind.rawValue):\(scalar.value)"
        case .sequence(let sequence):
            return "[" + sequence.items.map(canonical).joined(separator: ",") + "]"
        case .mapping(let mapping):
            let entries = mapping.entries.map { ($0.key.scalar?.value ?? "?", canonical($0.value)) }.sorted { $0.0 < $1.0 }
            return "{" + entries.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
        }
    }

    /// The first differing document, described, or nil when the outputs are the same trees.
    static func difference(_ expected: String, _ actual: String) -> String? {
        let left = canonical(expected)
        let right = canonical(actual)
        if left == right { return nil }
        if left.count != right.count { return "expected \(left.count) documents, got \(right.count)" }
        for (index, pair) in zip(left, right).enumerated() where pair.0 != pair.1 {
            return "document \(index + 1) differs:\nexpected \(pair.0)\nactual   \(pair.1)"
        }
        return "outputs differ"
    }
}

/// Runs `kubectl kustomize` the way kustomize-controller builds (no load restrictions).
enum KubectlKustomize {
    static var executable: String? { TestProcess.which("kubectl") }

    struct Result {
        var output: String
        var succeeded: Bool
        var error: String = ""
    }

    static func build(_ directory: String) throws -> Result? {
        guard let kubectl = executable else { return nil }
        let result = try TestProcess.run(kubectl, ["kustomize", "--load-restrictor", "LoadRestrictionsNone", directory])
        return Result(output: result.standardOutput, succeeded: result.status == 0, error: result.standardError)
    }
}
