import HomeportCore
import Manifests

/// A problem in a cluster definition, with the place of the offending value.
public struct ClusterDefinitionIssue: Sendable, Hashable {
    public var message: String
    public var mark: Mark?

    public init(_ message: String, at mark: Mark?) {
        self.message = message
        self.mark = mark
    }
}

/// A cluster definition file, loaded and validated: the definition when it could be read,
/// and every problem found.
public struct LoadedClusterDefinition: Sendable {
    public var path: String
    public var definition: ClusterDefinition?
    public var issues: [ClusterDefinitionIssue]

    public init(path: String, definition: ClusterDefinition?, issues: [ClusterDefinitionIssue]) {
        self.path = path
        self.definition = definition
        self.issues = issues
    }
}

/// Reads `config/clusters/NAME.yaml` files.
public enum ClusterDefinitionLoader {
    public static func load(_ file: RepoFile) -> LoadedClusterDefinition {
        guard let root = file.yaml?.documents.first else {
            return LoadedClusterDefinition(path: file.path, definition: nil, issues: [])
        }
        let name = root["name"]?.string ?? ""
        return LoadedClusterDefinition(path: file.path, definition: ClusterDefinition(name: name), issues: [])
    }
}

/// The cluster definition: everything a human decides about one cluster.
public struct ClusterDefinition: Sendable {
    public var name: String
}
