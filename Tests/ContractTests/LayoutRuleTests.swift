@testable import Contract
import Foundation
import HomeportCore
import Manifests
import TestSupport
import Testing

/// Edge cases of the layout and documentation rules that in-memory examples cannot express.
struct LayoutRuleTests {
    static let contract = "# Contract\n\n```text\n.\n├─ cluster/\n└─ docs/\n```\n"

    private func findings(_ rule: any Rule.Type, _ files: [String: String], configuration: Configuration = Configuration()) -> [Finding] {
        Checker(rules: [rule], configuration: configuration).check(RepoScanner.snapshot(files: files))
    }

    @Test func homeportYAMLAllowsExtraTopLevelDirectories() throws {
        let configuration = try Configuration.load(text: "allowedTopLevel:\n  - tools\n")
        let files = ["docs/repo-contract.md": Self.contract, "tools/x.sh": "echo\n", "vendor/y.txt": "y\n"]
        #expect(findings(TopLevelRule.self, files).map(\.location.path) == ["tools", "vendor"])
        #expect(findings(TopLevelRule.self, files, configuration: configuration).map(\.location.path) == ["vendor"])
    }

    @Test func checkRunnerReadsAllowedTopLevelFromTheRepository() throws {
        let repo = try TemporaryRepo(files: [
            "docs/repo-contract.md": Self.contract,
            "cluster/talos/schematic.yaml": "customization: {}\n",
            "tools/x.sh": "echo\n",
        ])
        let before = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: ["layout.top-level"]))
        #expect(before.findings.map(\.location.path) == ["tools"])
        try repo.write("homeport.yaml", "allowedTopLevel: [tools]\n")
        let after = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: ["layout.top-level"]))
        #expect(after.findings.isEmpty)
    }

    @Test func amendingTheContractAllowsANewDirectory() {
        let amended = Self.contract + "\n### Amendment\n\n```text\n.\n└─ tools/                  # added\n```\n"
        let files = ["docs/repo-contract.md": amended, "tools/x.sh": "echo\n", "cluster/a.yaml": "a: 1\n"]
        #expect(findings(TopLevelRule.self, files).isEmpty)
        #expect(findings(LayoutDriftRule.self, files).isEmpty)
    }

    @Test func withoutDocsEverythingFallsBackAndDocsPresentSaysSo() {
        let files = ["cluster/talos/schematic.yaml": "customization: {}\n", ".github/workflows/ci.yaml": "on: push\n"]
        #expect(findings(TopLevelRule.self, files).map(\.location.path) == [".github"])
        #expect(findings(DocsPresentRule.self, files).map(\.location.path) == ["docs/architecture.md", "docs/repo-contract.md"])
        #expect(findings(LayoutDriftRule.self, files).isEmpty)
        #expect(findings(AIPresentRule.self, files).map(\.location.path) == ["ai/design.md", "ai/tasks.md"])
    }

    @Test func layoutTreeReadsNestingFromBranchColumns() {
        let text = "```text\n.\n├── a/\n│   ├── b/\n│   │   └── c.txt\n│   └── d/\n└── e.md   # note\n```\n"
        let entries = ContractLayoutTree(text: text).entries
        #expect(entries.map(\.path) == ["a", "a/b", "a/b/c.txt", "a/d", "e.md"])
        #expect(entries.map(\.line) == [3, 4, 5, 6, 7])
        #expect(entries.map(\.isDirectory) == [true, true, false, true, false])
    }

    @Test func allowlistAcceptsWideTreeDrawings() {
        let text = "```\n.\n├── cluster/\n│   └── talos/\n└── tools/      # amendment\n```\n"
        let document = ContractDocument(file: RepoFile(path: ContractDocument.path, size: text.utf8.count, content: .text(text)))
        #expect(document.allowedDirectories == ["cluster", "tools"])
        #expect(document.lineOfDirectory == ["cluster": 3, "tools": 5])
    }

    @Test func nonTreeFencesAreIgnored() {
        let text = "```yaml\nkind: X\n├─ fake/\n```\n"
        let tree = ContractLayoutTree(text: text)
        #expect(!tree.hasTree)
        #expect(tree.entries.isEmpty)
    }

    /// The drift rule and the allowlist read the same blocks of the real contract.
    @Test func realContractTreeAgreesWithTheAllowlist() throws {
        let path = SharedData.packageRoot + "/docs/repo-contract.md"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let tree = ContractLayoutTree(text: text)
        let topLevel = Set(tree.entries.filter { $0.isDirectory && !$0.path.contains("/") }.map(\.path))
        let document = ContractDocument(file: RepoFile(path: ContractDocument.path, size: text.utf8.count, content: .text(text)))
        #expect(topLevel == document.allowedDirectories)
        #expect(tree.entries.contains { $0.path == "cluster/kubernetes/platform" && $0.isDirectory })
        #expect(topLevel.isSuperset(of: ["cluster", "docs", "Sources", "Tests", ".ci"]))
    }

    @Test func appFolderNamesMustBeDNSLabels() {
        #expect(KubernetesFacts.isDNSLabel("ai-studio"))
        #expect(KubernetesFacts.isDNSLabel("a1"))
        for bad in ["", "-a", "a-", "A", "a_b", "a.b", String(repeating: "a", count: 64), "é"] {
            #expect(!KubernetesFacts.isDNSLabel(bad), "\(bad)")
        }
    }
}
