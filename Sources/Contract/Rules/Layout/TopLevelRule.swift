import HomeportCore
import Manifests

/// `layout.top-level`: only the top-level directories the contract document allows.
struct TopLevelRule: Rule {
    static let contractTree = """
        # Repo contract

        ```text
        .
        ├─ cluster/
        ├─ config/
        ├─ docs/
        └─ scripts/
        ```

        ### 2026-11-27: CI

        ```text
        .
        └─ .ci/                    # CI entrypoint
        ```

        """

    static let description = RuleDescription(
        id: "layout.top-level",
        summary: "Only the top-level directories listed in the layout trees of docs/repo-contract.md (or in homeport.yaml's allowedTopLevel) exist.",
        rationale: "Contract 2 and 7: the layout is fixed, and no new top-level directory appears without the contract being amended. The allowlist is read from the tree blocks of docs/repo-contract.md, so a dated amendment there is what makes a new directory legal.",
        contractSections: ["2", "7"],
        nonTriggeringExamples: [
            RuleExample("directories of the layout and of an amendment", files: [
                "docs/repo-contract.md": contractTree,
                "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
                "config/clusters/home.yaml": "name: home\n",
                "scripts/check_cluster.sh": "#!/bin/sh\nexec homeport status\n",
                ".ci/run": "#!/bin/sh\nexec scripts/test.sh\n",
                "README.md": "# Homelab\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a directory the contract does not list", files: [
                "docs/repo-contract.md": contractTree,
                "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
                "tools/render.sh": "#!/bin/sh\nhelm template demo\n",
            ], expectedPaths: ["tools"]),
            RuleExample("a hidden directory not in any amendment", files: [
                "docs/repo-contract.md": contractTree,
                ".github/workflows/ci.yaml": "on: push\njobs: {}\n",
            ], expectedPaths: [".github"]),
            RuleExample("without the contract document, the contract's own layout applies", files: [
                "cluster/talos/schematic.yaml": "customization: {}\n",
                "Sources/homeport/main.swift": "print(1)\n",
            ], expectedPaths: ["Sources"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        let allowed = context.contract.allowedDirectories.union(context.configuration.extraTopLevel)
        return context.snapshot.subdirectories(of: "").filter { !allowed.contains($0) }.map { directory in
            finding(
                "top-level directory '\(directory)/' is not in the layout of \(ContractDocument.path); move its content into the layer it belongs to, or amend the contract with a dated tree block that lists it",
                at: directory)
        }
    }
}
