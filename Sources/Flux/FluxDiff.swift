import Kustomize
import Manifests

/// Unified diffs of rendered objects between two trees, one per changed object.
public enum FluxDiff {
    public static func unified(old: FluxTree, new: FluxTree) -> String {
        let before = index(old)
        let after = index(new)
        var output = ""
        for key in Set(before.keys).union(after.keys).sorted() {
            let left = before[key] ?? ""
            let right = after[key] ?? ""
            guard left != right else { continue }
            output += "--- \(before[key] == nil ? "/dev/null" : "a/" + key)\n+++ \(after[key] == nil ? "/dev/null" : "b/" + key)\n"
            output += hunks(left.split(separator: "\n").map(String.init), right.split(separator: "\n").map(String.init))
        }
        return output
    }

    /// Object text keyed by `kustomization-namespace/name: Kind namespace/name`.
    static func index(_ tree: FluxTree) -> [String: String] {
        var result: [String: String] = [:]
        for kustomization in tree.kustomizations {
            for object in kustomization.objects {
                let key = "\(kustomization.reference.namespace)/\(kustomization.reference.name)/\(object.kind)/\(object.namespace.isEmpty ? "_" : object.namespace)/\(object.name)"
                result[key] = YAMLEmitter.emit(document: object.node)
            }
        }
        return result
    }

    /// A single-hunk-per-change unified diff built from the longest common subsequence.
    static func hunks(_ old: [String], _ new: [String]) -> String {
        let n = old.count, m = new.count
        var lengths = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var lines: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, old[i] == new[j] { lines.append(" " + old[i]); i += 1; j += 1 }
            else if i < n, j == m || lengths[i + 1][j] >= lengths[i][j + 1] { lines.append("-" + old[i]); i += 1 }
            else { lines.append("+" + new[j]); j += 1 }
        }
        return "@@ -\(n == 0 ? 0 : 1),\(n) +\(m == 0 ? 0 : 1),\(m) @@\n" + lines.joined(separator: "\n") + "\n"
    }
}
