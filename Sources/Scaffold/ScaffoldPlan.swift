import Foundation
import HomeportCore

/// One file a scaffold writes: a new file, or a new version of an existing one (a Flux
/// registration or a kustomization list).
public struct PlannedFile: Sendable, Equatable {
    public enum Change: String, Sendable {
        case create
        case update
    }

    /// Repo-relative path.
    public var path: String
    public var content: String
    public var change: Change

    public init(path: String, content: String, change: Change) {
        self.path = path
        self.content = content
        self.change = change
    }
}

/// Everything one `homeport new …` will write. Planning reads only the snapshot, so it can be
/// shown (`--dry-run`) and tested without touching the disk.
public struct ScaffoldPlan: Sendable, Equatable {
    public var files: [PlannedFile]

    public init(files: [PlannedFile]) {
        self.files = files
    }

    /// Writes every file under `root`, each atomically. New files are created only where
    /// nothing exists yet: a file that appeared since planning is never overwritten.
    public func apply(root: String) throws {
        let manager = FileManager.default
        for file in files where file.change == .create {
            if manager.fileExists(atPath: root + "/" + file.path) {
                throw HomeportError("\(file.path) already exists; nothing was written")
            }
        }
        for file in files {
            try AtomicFile.write(file.content, to: URL(fileURLWithPath: root + "/" + file.path))
        }
    }
}
