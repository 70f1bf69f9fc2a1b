import Contract
import Foundation
import HomeportCore
import Manifests
import Testing
import TestSupport

struct GlobTests {
    @Test(arguments: [
        ("Tests/Fixtures/", "Tests/Fixtures/a/b.yaml", true),
        ("Tests/Fixtures/", "Tests/Other/b.yaml", false),
        ("*.md", "README.md", true),
        ("*.md", "docs/README.md", false),
        ("**/*.md", "docs/README.md", true),
        ("**/*.md", "README.md", true),
        ("cluster/**/secret.yaml", "cluster/kubernetes/apps/x/secret.yaml", true),
        ("cluster/*/secret.yaml", "cluster/kubernetes/apps/x/secret.yaml", false),
        ("a?c", "abc", true),
        ("a?c", "a/c", false),
    ])
    func matches(pattern: String, path: String, expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected)
    }
}

struct ConfigurationTests {
    @Test func readsEveryKey() throws {
        let configuration = try Configuration.load(text: """
        severities:
          k8s.parse: warning
          docs.present: off
        skip: [vendor/]
        allowedTopLevel: [extras]
        allow:
          - {rule: secrets.plaintext, path: "Tests/Fixtures/**"}
        """)
        #expect(configuration.severities["k8s.parse"] == .some(.warning))
        #expect(configuration.severities["docs.present"] == .some(nil))
        #expect(configuration.isSkipped("vendor/a.yaml"))
        #expect(configuration.extraTopLevel == ["extras"])
        let finding = Finding(ruleID: "secrets.plaintext", severity: .error,
                              location: SourceLocation(path: "Tests/Fixtures/x/key.txt"), message: "m")
        #expect(configuration.isAllowed(finding))
    }

    @Test func typosAreErrorsWithTheirLine() {
        #expect {
            try Configuration.load(text: "severities:\n  k8s.parse: warn\n")
        } throws: { error in
            (error as? HomeportError)?.location?.line == 2
        }
        #expect {
            try Configuration.load(text: "skip: [a]\nseverity: {}\n")
        } throws: { error in
            (error as? HomeportError)?.location?.line == 2
        }
    }

    @Test func severityOverridesAndInlineAllowsApply() {
        let snapshot = RepoScanner.snapshot(files: [
            "cluster/kubernetes/apps/a/x.yaml": "apiVersion: v1\nkind: ConfigMap\n",
            "cluster/kubernetes/apps/a/y.yaml": "# homeport:allow k8s.parse\napiVersion: v1\nkind: ConfigMap\n",
        ])
        var configuration = Configuration()
        configuration.severities["k8s.parse"] = .some(.warning)
        let findings = Checker(configuration: configuration).selecting(only: ["k8s.parse"], skip: []).check(snapshot)
        #expect(findings.map(\.location.path) == ["cluster/kubernetes/apps/a/x.yaml"])
        #expect(findings.first?.severity == .warning)
    }
}

struct ContractDocumentTests {
    @Test func readsTopLevelEntriesFromEveryTreeBlock() {
        let text = """
        # Contract
        ```text
        .
        ├─ cluster/                # the cluster
        │  └─ talos/
        └─ docs/
        ```
        Some prose with ├─ fake/ outside a block.
        ```yaml
        ├─ notatree/
        ```
        ## Amendments
        ```text
        .
        ├─ Package.swift
        └─ .ci/                    # CI
        ```
        """
        let document = ContractDocument(file: RepoScanner.snapshot(files: [ContractDocument.path: text]).file(ContractDocument.path))
        #expect(document.isPresent)
        #expect(document.allowedDirectories == ["cluster", "docs", ".ci"])
        #expect(document.listedFiles == ["Package.swift"])
        #expect(document.lineOfDirectory["cluster"] == 4)
    }

    @Test func fallsBackToTheContractsLayoutWhenMissing() {
        let document = ContractDocument(file: nil)
        #expect(!document.isPresent)
        #expect(document.allowedDirectories.contains("cluster"))
        #expect(!document.allowedDirectories.contains("Sources"))
    }
}

struct RuleCatalogueTests {
    @Test func idsAreUniqueAndWellFormed() {
        let ids = RuleRegistry.all.map { $0.description.id }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.range(of: #"^[a-z0-9]+\.[a-z0-9-]+$"#, options: .regularExpression) != nil, "\(id)")
        }
    }

    @Test func docsRulesMarkdownIsUpToDate() throws {
        let path = SharedData.packageRoot + "/docs/rules.md"
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        let generated = RuleCatalogue.markdown(RuleRegistry.all.map { $0.description })
        #expect(committed == generated, "docs/rules.md is stale: run `swift run homeport rules --format markdown > docs/rules.md`")
    }

    @Test func everyRuleIDAppearsInTheContractDocument() throws {
        let contract = try String(contentsOfFile: SharedData.packageRoot + "/docs/repo-contract.md", encoding: .utf8)
        for rule in RuleRegistry.all {
            #expect(contract.contains("`\(rule.description.id)`"), "\(rule.description.id) is not cited in docs/repo-contract.md")
        }
    }
}
