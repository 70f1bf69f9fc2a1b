import Flux
import Manifests

/// The Flux tree of the repository, built once per check from the snapshot (no disk reads) and
/// shared by every Flux rule.
public struct FluxAnalysis: Sendable {
    public let entrypoint: String
    public let tree: FluxTree
    /// Objects applied twice across the tree.
    public let duplicates: [DuplicateObject]

    /// The tree from the cluster definition's `flux.path` (or a conventional folder), nil
    /// when the repository has no Flux entrypoint.
    public init?(snapshot: RepoSnapshot) {
        guard let entrypoint = FluxEntrypoint.resolve(snapshot), snapshot.directories.contains(entrypoint) else { return nil }
        self.entrypoint = entrypoint
        self.tree = FluxTreeBuilder(snapshot: snapshot).build(entrypoint: entrypoint)
        self.duplicates = tree.duplicateObjects
    }
}
