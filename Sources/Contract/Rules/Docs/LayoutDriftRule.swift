import HomeportCore
import Manifests

/// `docs.layout-drift`: everything the contract's layout trees list exists. (Directories that
/// exist but are not listed are `layout.top-level`'s findings, not this rule's.)
struct LayoutDriftRule: Rule {
    static let description = RuleDescription(
        id: "docs.layout-drift",
        summary: "Every directory and file the layout trees of docs/repo-contract.md list exists, and the generated sections of docs/architecture.md match the repository.",
        rationale: "Contract 9: docs match reality, and drift is corrected in the next change. A tree entry with nothing behind it misleads people and agents about where things live.",
        contractSections: ["9"],
        nonTriggeringExamples: [
            RuleExample("every listed entry exists", files: [
                "docs/repo-contract.md": """
                    ```text
                    .
                    ├─ cluster/
                    │  └─ talos/              # patches
                    ├─ docs/
                    └─ Package.swift
                    ```

                    """,
                "cluster/talos/patches/time.yaml": "machine:\n  time:\n    servers: [pool.ntp.org]\n",
                "Package.swift": "// swift-tools-version: 6.2\n",
            ]),
            RuleExample("directories the tree does not list are not this rule's business", files: [
                "docs/repo-contract.md": "```text\n.\n└─ docs/\n```\n",
                "tools/x.sh": "echo\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a listed folder that does not exist", files: [
                "docs/repo-contract.md": """
                    # Repo contract

                    ```text
                    .
                    ├─ cluster/
                    │  ├─ kubernetes/
                    ↓│  │  └─ platform/
                    │  └─ talos/
                    ├─ docs/
                    ↓└─ synology/             # NAS exports
                    ```

                    """,
                "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
                "cluster/talos/schematic.yaml": "customization: {}\n",
            ]),
            RuleExample("a generated section of the architecture that no longer matches", files: [
                "docs/architecture.md": """
                    # Architecture

                    ↓<!-- homeport:begin flux-graph -->
                    ```mermaid
                    flowchart LR
                      platform --> apps
                    ```
                    <!-- homeport:end flux-graph -->

                    """,
                "cluster/kubernetes/flux/apps.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./cluster/kubernetes/apps\n",
            ]),
            RuleExample("a contract without a layout tree", files: [
                "docs/repo-contract.md": "# Repo contract\n\nEverything lives somewhere.\n",
            ], expectedPaths: ["docs/repo-contract.md"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        generatedSectionDrift(context) + contractTreeDrift(context)
    }

    /// docs/architecture.md's generated sections must match what the repository generates.
    private func generatedSectionDrift(_ context: RuleContext) -> [Finding] {
        guard let text = context.snapshot.file(ArchitectureDocs.path)?.text else { return [] }
        let markerProblems = GeneratedSections(text: text).problems.map {
            finding("\($0.message)", at: ArchitectureDocs.path, line: $0.line)
        }
        return markerProblems + ArchitectureDocs.staleSections(context).map {
            finding("generated section '\($0.name)' no longer matches the repository; run `homeport docs`", at: ArchitectureDocs.path, line: $0.line)
        }
    }

    private func contractTreeDrift(_ context: RuleContext) -> [Finding] {
        guard let text = context.snapshot.file(ContractDocument.path)?.text else { return [] }
        let tree = ContractLayoutTree(text: text)
        guard tree.hasTree else {
            return [finding("\(ContractDocument.path) has no layout tree (a fenced block whose first line is `.`); without it layout.top-level falls back to the original contract's directories", at: ContractDocument.path)]
        }
        return tree.entries.filter { !context.snapshot.exists($0.path) }.map { entry in
            let what = entry.isDirectory ? "directory '\(entry.path)/'" : "file '\(entry.path)'"
            return finding("the layout lists \(what), which does not exist; create it or remove it from the tree", at: ContractDocument.path, line: entry.line)
        }
    }
}
