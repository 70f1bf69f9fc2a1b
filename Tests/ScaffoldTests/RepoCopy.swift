import Foundation
import Manifests
import TestSupport

/// A scratch copy of this repository (without build output or git data), so scaffolds can be
/// applied to the real tree and checked like the real tree.
enum RepoCopy {
    static func make() throws -> TemporaryRepo {
        let repo = try TemporaryRepo()
        let root = SharedData.packageRoot
        for entry in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            if entry.hasPrefix(".build") || entry == ".git" || entry == ".swiftpm" || entry == "Package.resolved" { continue }
            try FileManager.default.copyItem(atPath: root + "/" + entry, toPath: repo.root + "/" + entry)
        }
        return repo
    }

    static func snapshot(_ repo: TemporaryRepo) throws -> RepoSnapshot {
        try RepoScanner().scan(root: repo.root)
    }

    /// `kubectl kustomize DIR`, or nil when kubectl is not installed.
    static func kustomize(_ directory: String) throws -> TestProcess.Result? {
        guard let kubectl = TestProcess.which("kubectl") else { return nil }
        return try TestProcess.run(kubectl, ["kustomize", directory])
    }
}
