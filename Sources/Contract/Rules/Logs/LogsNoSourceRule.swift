import HomeportCore
import Manifests

/// `logs.no-source`: logs/ holds logs, not code or manifests.
struct LogsNoSourceRule: Rule {
    static let sourceExtensions: Set<String> = [
        "swift", "sh", "bash", "zsh", "ksh", "fish", "py", "go", "js", "mjs", "cjs", "ts", "rb", "pl", "php",
        "java", "kt", "c", "h", "cc", "cpp", "hpp", "rs", "cs", "lua", "ps1", "tf", "hcl", "nix",
    ]

    static let description = RuleDescription(
        id: "logs.no-source",
        summary: "No source code (by extension or shebang) and no Kubernetes manifests under logs/.",
        rationale: "Contract 8: logs/ stores the output of bootstrap runs and harness tasks; code and manifests kept there escape review, checks and Flux.",
        contractSections: ["8"],
        nonTriggeringExamples: [
            RuleExample("a README and a sample log", files: [
                "logs/README.md": "# Logs\n\nMost logs are gitignored.\n",
                "logs/bootstrap/sample.jsonl": "{\"stage\":\"vms\",\"status\":\"ok\"}\n",
                "logs/harness/run.log": "planner: task 3 done\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a script and a manifest saved with the logs", files: [
                "logs/README.md": "# Logs\n",
                "logs/retry.py": "print('retry')\n",
                "logs/run-2026-11-27/applied.yaml": "apiVersion: v1\n↓kind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\n",
                "logs/run-2026-11-27/replay": "↓#!/bin/sh\nhomeport up --from talos\n",
            ], expectedPaths: ["logs/retry.py"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for file in context.snapshot.files(under: ContractPaths.logs) {
            if Self.sourceExtensions.contains(file.fileExtension) {
                findings.append(finding("\(file.name) is source code; logs/ holds only logs, so move it to the layer it belongs to", at: file.path))
            } else if file.firstLine?.hasPrefix("#!") == true {
                findings.append(finding("\(file.name) is a script (it starts with a shebang); logs/ holds only logs", at: file.path, line: 1))
            } else if file.isYAML {
                for document in file.documents where document.isKubernetesObject {
                    findings.append(finding("\(document.kind ?? "object") \(document.name ?? "") is a Kubernetes manifest; logs/ holds only logs, and manifests live under cluster/kubernetes", at: file.path, mark: document.kindMark))
                }
            }
        }
        return findings
    }
}
