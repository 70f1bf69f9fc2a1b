import Foundation
import Testing
import TestSupport

/// `homeport check` run as users run it: the built binary on real folders.
struct CheckCommandTests {
    static let cleanRepo: [String: String] = [
        "docs/repo-contract.md": "# Contract\n\n```text\n.\n├─ cluster/\n└─ docs/\n```\n",
        "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
    ]

    @Test func unknownFlagIsAUsageErrorWithExit2() throws {
        let result = try HomeportBinary.run(["check", "--bogus"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("Usage"))
    }

    @Test func brokenYAMLGivesAFindingAndExit1() throws {
        let repo = try TemporaryRepo(files: Self.cleanRepo.merging([
            "cluster/kubernetes/apps/demo/broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n",
        ]) { $1 })
        let result = try HomeportBinary.run(["check", "--repo", repo.root, "--only", "k8s.parse"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("cluster/kubernetes/apps/demo/broken.yaml:4:1: error:"))
        #expect(result.standardOutput.contains("[k8s.parse]"))
    }

    @Test func jsonFormatIsParseable() throws {
        let repo = try TemporaryRepo(files: Self.cleanRepo)
        let result = try HomeportBinary.run(["check", "--repo", repo.root, "--only", "k8s.parse", "--format", "json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect((object?["findings"] as? [Any])?.isEmpty == true)
    }

    @Test func unknownRuleIDIsAUsageError() throws {
        let repo = try TemporaryRepo(files: Self.cleanRepo)
        let result = try HomeportBinary.run(["check", "--repo", repo.root, "--only", "no.such-rule"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("no.such-rule"))
    }

    @Test func badInputDoesNotStopTheOtherFiles() throws {
        let repo = try TemporaryRepo(files: Self.cleanRepo.merging([
            "cluster/kubernetes/apps/demo/dup.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\nmetadata:\n  name: b\n",
            "cluster/kubernetes/apps/demo/noname.yaml": "apiVersion: v1\nkind: ConfigMap\n",
            "cluster/kubernetes/apps/demo/empty.yaml": "",
        ]) { $1 })
        try repo.write("cluster/kubernetes/apps/demo/binary.yaml", Data([0, 1, 2, 3]))
        try repo.write("cluster/kubernetes/apps/demo/latin1.yaml", Data([0x6B, 0x3A, 0x20, 0xE9, 0x0A]))
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { bomb += "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ","))]\n" }
        try repo.write("cluster/kubernetes/apps/demo/bomb.yaml", bomb)
        try repo.write("cluster/kubernetes/apps/demo/deep.yaml", String(repeating: "[", count: 50_000))
        let result = try HomeportBinary.run(["check", "--repo", repo.root, "--only", "k8s.parse", "--format", "json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let paths = Set(((object["findings"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String })
        for name in ["dup", "noname", "binary", "latin1", "bomb", "deep"] {
            #expect(paths.contains("cluster/kubernetes/apps/demo/\(name).yaml"), "no finding for \(name).yaml")
        }
        #expect(!paths.contains("cluster/kubernetes/apps/demo/empty.yaml"))
    }

    @Test func changedFromReportsOnlyChangedFiles() throws {
        let repo = try TemporaryRepo(files: Self.cleanRepo.merging([
            "cluster/kubernetes/apps/demo/old.yaml": "apiVersion: v1\nkind: ConfigMap\n",
        ]) { $1 })
        try repo.git("init", "-q")
        try repo.git("add", "-A")
        try repo.git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base")
        try repo.write("cluster/kubernetes/apps/demo/new.yaml", "apiVersion: v1\nkind: Secret\n")
        let result = try HomeportBinary.run(["check", "--repo", repo.root, "--only", "k8s.parse", "--changed-from", "HEAD"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("new.yaml"))
        #expect(!result.standardOutput.contains("old.yaml"))
    }

    @Test func hooksInstallWritesAHookAndKeepsForeignOnes() throws {
        let repo = try TemporaryRepo(files: Self.cleanRepo)
        try repo.git("init", "-q")
        let first = try HomeportBinary.run(["hooks", "install", "--repo", repo.root])
        #expect(first.status == 0)
        let hook = try #require(repo.read(".git/hooks/pre-commit"))
        #expect(hook.contains("check --changed-from HEAD"))
        #expect(FileManager.default.isExecutableFile(atPath: repo.root + "/.git/hooks/pre-commit"))
        try repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n")
        let second = try HomeportBinary.run(["hooks", "install", "--repo", repo.root])
        #expect(second.status == 1)
        #expect(repo.read(".git/hooks/pre-commit") == "#!/bin/sh\necho mine\n")
        let forced = try HomeportBinary.run(["hooks", "install", "--repo", repo.root, "--force"])
        #expect(forced.status == 0)
    }

    @Test func theRepositoryItselfIsClean() throws {
        let result = try HomeportBinary.run(["check", "--repo", SharedData.packageRoot])
        #expect(result.status == 0, "\(result.standardOutput)")
    }
}
