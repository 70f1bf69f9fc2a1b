/// The Git repository Flux syncs.
public struct FluxSettings: Sendable, Hashable {
    public var repository: String
    public var branch: String
    /// The folder Flux reconciles, relative to the repository root.
    public var path: String

    public init(repository: String, branch: String, path: String) {
        self.repository = repository
        self.branch = branch
        self.path = path
    }
}
