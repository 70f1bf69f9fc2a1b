import Foundation
import Manifests
import Testing
import TestSupport

/// Nothing outside the repository is read, and nothing inside is skipped without a reason.
struct UnreadFileTests {
    static func reason(_ snapshot: RepoSnapshot, _ path: String) -> String? {
        guard case .unreadable(let reason) = snapshot.file(path)?.content else { return nil }
        return reason
    }

    @Test(arguments: [false, true])
    func linksOutOfTheRepositoryAreNeverFollowed(usingGit: Bool) throws {
        let outside = try TemporaryRepo(files: ["passwd": "root:x:0:0:PLANTED-OUTSIDE\n", "dir/a.yaml": "outside: PLANTED-OUTSIDE\n"])
        let repo = try TemporaryRepo(files: ["cluster/ok.yaml": "a: 1\n"])
        try FileManager.default.createSymbolicLink(atPath: repo.root + "/cluster/passwd.yaml", withDestinationPath: outside.root + "/passwd")
        try FileManager.default.createSymbolicLink(atPath: repo.root + "/cluster/relative.yaml", withDestinationPath: "../../" + (outside.root as NSString).lastPathComponent + "/passwd")
        try FileManager.default.createSymbolicLink(atPath: repo.root + "/cluster/dir", withDestinationPath: outside.root + "/dir")
        if usingGit { _ = try repo.git("init", "-q") }
        let snapshot = try RepoScanner().scan(root: repo.root)
        for path in ["cluster/passwd.yaml", "cluster/dir"] {
            let reason = try #require(Self.reason(snapshot, path), "\(path) should be reported, not read")
            #expect(reason.contains("outside the repository"))
            #expect(reason.contains("not followed"))
        }
        // A relative link that climbs out is caught too (when the temporary folders are siblings).
        if let reason = Self.reason(snapshot, "cluster/relative.yaml") { #expect(reason.contains("outside the repository")) }
        #expect(!snapshot.files.contains { $0.text?.contains("PLANTED-OUTSIDE") == true })
        #expect(snapshot.file("cluster/ok.yaml")?.text == "a: 1\n")
    }

    @Test(arguments: [false, true])
    func loopsDanglingLinksAndFolderLinksSayWhatWasNotRead(usingGit: Bool) throws {
        let repo = try TemporaryRepo(files: ["apps/web/a.yaml": "a: 1\n", "shared/b.yaml": "b: 2\n"])
        let fileManager = FileManager.default
        try fileManager.createSymbolicLink(atPath: repo.root + "/apps/web/loop", withDestinationPath: "..")
        try fileManager.createSymbolicLink(atPath: repo.root + "/apps/web/ping.yaml", withDestinationPath: "pong.yaml")
        try fileManager.createSymbolicLink(atPath: repo.root + "/apps/web/pong.yaml", withDestinationPath: "ping.yaml")
        try fileManager.createSymbolicLink(atPath: repo.root + "/apps/web/gone.yaml", withDestinationPath: "nowhere.yaml")
        try fileManager.createSymbolicLink(atPath: repo.root + "/apps/web/shared", withDestinationPath: "../../shared")
        if usingGit { _ = try repo.git("init", "-q") }
        let snapshot = try RepoScanner().scan(root: repo.root)
        #expect(Self.reason(snapshot, "apps/web/loop")?.contains("symbolic link loop") == true)
        #expect(Self.reason(snapshot, "apps/web/ping.yaml")?.contains("symbolic link loop") == true)
        #expect(Self.reason(snapshot, "apps/web/gone.yaml")?.contains("dangling symbolic link") == true)
        #expect(Self.reason(snapshot, "apps/web/shared")?.contains("checked in shared") == true)
        #expect(snapshot.file("shared/b.yaml")?.text == "b: 2\n")
        #expect(!snapshot.files.contains { $0.path.hasPrefix("apps/web/loop/") || $0.path.hasPrefix("apps/web/shared/") })
    }

    @Test func anUnreadableFolderIsReported() throws {
        guard getuid() != 0 else { return }  // root opens any folder
        let repo = try TemporaryRepo(files: ["locked/a.yaml": "a: 1\n", "ok.yaml": "b: 2\n"])
        chmod(repo.root + "/locked", 0)
        defer { chmod(repo.root + "/locked", 0o755) }
        let snapshot = try RepoScanner().scan(root: repo.root)
        #expect(Self.reason(snapshot, "locked")?.contains("nothing in it was checked") == true)
    }
}
