import Foundation
import Manifests
import Testing
import TestSupport

struct RepoScannerTests {
    @Test func readsTextBinaryAndBrokenFilesWithoutStopping() throws {
        let repo = try TemporaryRepo(files: [
            "a.yaml": "kind: A\n",
            "empty.yaml": "",
            "notes.md": "# hello\n",
        ])
        try repo.write("blob.yaml", Data([0x61, 0x00, 0x62]))
        try repo.write("latin1.yaml", Data([0x6B, 0x3A, 0x20, 0xE9, 0x0A]))
        let snapshot = try RepoScanner().scan(root: repo.root)
        #expect(snapshot.files.map(\.path) == ["a.yaml", "blob.yaml", "empty.yaml", "latin1.yaml", "notes.md"])
        guard case .binary = snapshot.file("blob.yaml")?.content else { Issue.record("blob.yaml should be binary"); return }
        guard case .notUTF8 = snapshot.file("latin1.yaml")?.content else { Issue.record("latin1.yaml should be notUTF8"); return }
        #expect(snapshot.file("empty.yaml")?.yaml?.documents.isEmpty == true)
        #expect(snapshot.file("a.yaml")?.documents.first?.kind == "A")
        #expect(snapshot.file("notes.md")?.yaml == nil)
    }

    @Test func listsButDoesNotReadHugeFiles() throws {
        let repo = try TemporaryRepo()
        try repo.write("big.yaml", Data(repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024))
        let snapshot = try RepoScanner().scan(root: repo.root)
        guard case .tooLarge(let size) = snapshot.file("big.yaml")?.content else {
            Issue.record("big.yaml should be too large"); return
        }
        #expect(size == 50 * 1024 * 1024)
    }

    @Test func survivesSymlinkLoopsAndDanglingLinks() throws {
        let repo = try TemporaryRepo(files: ["real/x.yaml": "a: 1\n"])
        try FileManager.default.createSymbolicLink(atPath: repo.root + "/real/loop", withDestinationPath: repo.root + "/real")
        try FileManager.default.createSymbolicLink(atPath: repo.root + "/self.yaml", withDestinationPath: repo.root + "/self.yaml")
        try FileManager.default.createSymbolicLink(atPath: repo.root + "/link.yaml", withDestinationPath: repo.root + "/real/x.yaml")
        let snapshot = try RepoScanner().scan(root: repo.root)
        #expect(snapshot.file("real/x.yaml") != nil)
        #expect(snapshot.file("link.yaml")?.text == "a: 1\n")
        guard case .unreadable = snapshot.file("self.yaml")?.content else { Issue.record("self.yaml should be unreadable"); return }
        #expect(!snapshot.files.contains { $0.path.hasPrefix("real/loop/") })
    }

    @Test func unreadableFilesAreReportedNotFatal() throws {
        let repo = try TemporaryRepo(files: ["secret.yaml": "a: 1\n", "ok.yaml": "b: 2\n"])
        if getuid() == 0 {
            // root reads any file, so make a read fail another way: /proc/self/mem is a regular
            // file whose first page cannot be read.
            try FileManager.default.removeItem(atPath: repo.root + "/secret.yaml")
            try FileManager.default.createSymbolicLink(atPath: repo.root + "/secret.yaml", withDestinationPath: "/proc/self/mem")
        } else {
            chmod(repo.root + "/secret.yaml", 0)
        }
        let snapshot = try RepoScanner().scan(root: repo.root)
        guard case .unreadable = snapshot.file("secret.yaml")?.content else {
            Issue.record("secret.yaml should be unreadable, not \(String(describing: snapshot.file("secret.yaml")?.content))"); return
        }
        #expect(snapshot.file("ok.yaml")?.text == "b: 2\n")
    }

    @Test func usesGitToLeaveIgnoredFilesOut() throws {
        let repo = try TemporaryRepo(files: [
            ".gitignore": ".talos/\n",
            ".talos/prox/secrets.yaml": "cluster: {secret: x}\n",
            "config/a.yaml": "a: 1\n",
        ])
        try repo.git("init", "-q")
        let snapshot = try RepoScanner().scan(root: repo.root)
        #expect(snapshot.file("config/a.yaml") != nil)
        #expect(snapshot.file(".talos/prox/secrets.yaml") == nil)
        #expect(snapshot.directories.contains("config"))
    }

    @Test func skipsWhatTheConfigurationSkips() throws {
        let repo = try TemporaryRepo(files: ["keep/a.yaml": "a: 1\n", "vendor/b.yaml": "b: 2\n"])
        var scanner = RepoScanner()
        scanner.isSkipped = { $0.hasPrefix("vendor/") }
        let snapshot = try scanner.scan(root: repo.root)
        #expect(snapshot.files.map(\.path) == ["keep/a.yaml"])
    }
}
