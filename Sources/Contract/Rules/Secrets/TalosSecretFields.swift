import Manifests

/// Where Talos keeps its secrets in a machine config or secrets bundle, and how to find them
/// in a document (also inside JSON 6902 patches).
enum TalosSecretFields {
    /// Key paths of machine-config secrets.
    static let machineConfigPaths: [[String]] = [
        ["machine", "ca", "key"], ["machine", "token"],
        ["cluster", "ca", "key"], ["cluster", "aggregatorCA", "key"], ["cluster", "serviceAccount", "key"],
        ["cluster", "etcd", "ca", "key"], ["cluster", "token"], ["cluster", "secretboxEncryptionSecret"],
        ["cluster", "aescbcEncryptionSecret"], ["cluster", "secret"], ["trustdinfo", "token"],
    ]

    struct Hit {
        var path: [String]
        var value: String
        var mark: Mark
    }

    /// True when a document is shaped like Talos configuration (machine config, patch, bundle).
    static func isTalosLike(_ root: YAMLNode, path: String) -> Bool {
        if path.hasPrefix("cluster/talos/") { return true }
        if root["version"]?.string == "v1alpha1" { return true }
        if root["machine"]?.mapping != nil || root["trustdinfo"]?.mapping != nil { return true }
        if root["cluster"]?.mapping != nil, root["secrets"]?.mapping != nil || root["certs"]?.mapping != nil { return true }
        if root["cluster"]?["controlPlane"] != nil || root["cluster"]?["clusterName"] != nil { return true }
        return false
    }

    /// Secret fields with literal values in one document.
    static func hits(in root: YAMLNode, path: String) -> [Hit] {
        var result: [Hit] = []
        if isTalosLike(root, path: path), root.mapping != nil {
            for fieldPath in machineConfigPaths {
                if let node = root[path: fieldPath.joined(separator: ".")], let hit = literal(node, fieldPath) { result.append(hit) }
            }
        }
        // JSON 6902 patches: [{op: add, path: /machine/token, value: …}]
        if let items = root.sequence?.items {
            for item in items {
                guard let pointer = item["path"]?.string, let value = item["value"] else { continue }
                let prefix = pointer.split(separator: "/").map(String.init)
                for fieldPath in machineConfigPaths where fieldPath.starts(with: prefix) {
                    let rest = Array(fieldPath.dropFirst(prefix.count))
                    let node = rest.isEmpty ? value : value[path: rest.joined(separator: ".")]
                    if let node, let hit = literal(node, fieldPath) { result.append(hit) }
                }
            }
        }
        return result
    }

    private static func literal(_ node: YAMLNode, _ path: [String]) -> Hit? {
        guard let scalar = node.scalar, let value = node.string, !SecretValueHeuristics.isPlaceholder(value) else { return nil }
        return Hit(path: path, value: value, mark: scalar.mark)
    }
}
