import Foundation

/// What a build does with a remote resource (`https://…`, `github.com/…?ref=`): homeport
/// builds offline, so it either refuses the build or leaves the resource out and says so.
public enum RemoteResourcePolicy: Sendable {
    /// The build fails naming the resource (`homeport kustomize build`).
    case refuse
    /// The resource is left out and recorded (the Flux tree: one notice per resource).
    case skip(RemoteResourceLog)
}

/// The remote resources a build left out, in the order met.
public final class RemoteResourceLog: @unchecked Sendable {
    /// One remote resource and the kustomization file that lists it.
    public struct Entry: Sendable, Hashable {
        public var reference: String
        public var path: String
        public var line: Int?
    }

    private let lock = NSLock()
    private var recorded: [Entry] = []

    public init() {}

    func record(_ entry: Entry) {
        lock.lock()
        defer { lock.unlock() }
        if !recorded.contains(entry) { recorded.append(entry) }
    }

    /// Every entry recorded so far.
    public var entries: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}
