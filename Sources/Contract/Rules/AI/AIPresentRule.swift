import HomeportCore
import Manifests

/// `ai.present`: the AI harness's design and task documents exist.
struct AIPresentRule: Rule {
    static let required = ["ai/design.md", "ai/tasks.md"]

    static let description = RuleDescription(
        id: "ai.present",
        summary: "ai/design.md and ai/tasks.md exist and are not empty.",
        rationale: "Contract 7: the AI harness is driven by its design document and its task descriptions; agents read them before they act.",
        contractSections: ["7"],
        nonTriggeringExamples: [
            RuleExample("design and tasks", files: [
                "ai/design.md": "# Harness design\n\nPlanner, Engineer, Executor.\n",
                "ai/tasks.md": "# Tasks\n\n- add an app\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("no task list", files: [
                "ai/design.md": "# Harness design\n",
                "ai/prompts/planner.md": "You plan.\n",
            ], expectedPaths: ["ai/tasks.md"]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        RequiredDocuments.findings(Self.required, in: context.snapshot) { message, path in finding(message, at: path) }
    }
}
