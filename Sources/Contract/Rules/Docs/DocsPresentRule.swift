import HomeportCore
import Manifests

/// `docs.present`: the architecture overview and the contract exist.
struct DocsPresentRule: Rule {
    static let required = ["docs/architecture.md", ContractDocument.path]

    static let description = RuleDescription(
        id: "docs.present",
        summary: "docs/architecture.md and docs/repo-contract.md exist and are not empty.",
        rationale: "Contract 9 (and 3, for Terraform's assumptions): the hardware and topology overview and the contract itself are the documents everything else points to.",
        contractSections: ["9", "3"],
        nonTriggeringExamples: [
            RuleExample("both documents", files: [
                "docs/architecture.md": "# Architecture\n\nOne N100 host runs Proxmox and three Talos VMs.\n",
                "docs/repo-contract.md": "# Repo contract\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("no architecture overview", files: [
                "docs/repo-contract.md": "# Repo contract\n",
                "docs/notes.md": "# Notes\n",
            ], expectedPaths: ["docs/architecture.md"]),
            RuleExample("an empty contract", files: [
                "docs/architecture.md": "# Architecture\n",
                "docs/repo-contract.md": "\n  \n",
            ], expectedPaths: ["docs/repo-contract.md"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        RequiredDocuments.findings(Self.required, in: context.snapshot) { message, path in finding(message, at: path) }
    }
}

/// Shared by the rules that require documents to exist.
enum RequiredDocuments {
    static func findings(_ paths: [String], in snapshot: RepoSnapshot, make: (String, String) -> Finding) -> [Finding] {
        paths.compactMap { path in
            guard let file = snapshot.file(path) else {
                return make("\(path) is missing; the contract requires it", path)
            }
            if let text = file.text, text.allSatisfy(\.isWhitespace) {
                return make("\(path) is empty; the contract requires it to say something", path)
            }
            return nil
        }
    }
}
