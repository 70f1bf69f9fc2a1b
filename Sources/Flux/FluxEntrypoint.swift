import Manifests

/// Where the Flux tree starts: `flux.path` of a cluster definition, else a conventional folder.
public enum FluxEntrypoint {
    /// Conventional entrypoints, tried in order when no cluster definition names one.
    public static let conventional = ["cluster/kubernetes/flux", "kubernetes/flux/cluster", "clusters/production", "clusters/main"]

    /// `flux.path` of every cluster definition in `config/clusters/`, keyed by cluster name.
    public static func clusterPaths(_ snapshot: RepoSnapshot) -> [(cluster: String, path: String, definition: String)] {
        snapshot.files.filter { $0.directory == "config/clusters" && $0.isYAML }.compactMap { file in
            guard let root = file.yaml?.documents.first, let path = root[path: "flux.path"]?.string else { return nil }
            return (root["name"]?.string ?? file.name, KustomizePathNormalizer.normalize(path), file.path)
        }
    }

    /// The entrypoint for a cluster (or the only one), falling back to conventional folders.
    public static func resolve(_ snapshot: RepoSnapshot, cluster: String? = nil) -> String? {
        let paths = clusterPaths(snapshot)
        if let cluster { return paths.first { $0.cluster == cluster }?.path }
        if let first = paths.first { return first.path }
        return conventional.first { snapshot.directories.contains($0) }
    }

    /// The Kubernetes version the cluster runs (`talos.kubernetesVersion`), without the `v`.
    public static func kubernetesVersion(_ snapshot: RepoSnapshot) -> String? {
        for file in snapshot.files where file.directory == "config/clusters" && file.isYAML {
            if let version = file.yaml?.documents.first?[path: "talos.kubernetesVersion"]?.string {
                return version.hasPrefix("v") ? String(version.dropFirst()) : version
            }
        }
        return nil
    }
}

enum KustomizePathNormalizer {
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." && !part.isEmpty {
            if part == "..", !parts.isEmpty { parts.removeLast() } else { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }
}
