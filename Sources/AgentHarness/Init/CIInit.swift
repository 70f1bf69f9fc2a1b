import Contract
import Foundation

/// `homeport ci init`: writes the pull-request gate workflow (`.github/workflows/pr-gate.yml`),
/// amending the contract first when `.github/` is not listed, with a human's approval.
public enum CIInit {
    public static func run(root: String, approval: AmendmentApproval = .unavailable) throws -> AgentInit.Report {
        let workflow = AgentClientConfig.File(path: PullRequestGateWorkflow.path, ownedPart: .wholeFile, content: PullRequestGateWorkflow.content)
        var report = AgentInit.Report()
        guard try AgentInit.amendIfNeeded(for: [workflow.path], root: root, approval: approval, report: &report) else { return report }
        try AgentInit.write([workflow], base: root, into: &report)
        if !FileManager.default.isExecutableFile(atPath: root + "/scripts/pr_gate.sh") {
            report.notes.append("the workflow runs scripts/pr_gate.sh of the base branch, which this repository does not have yet; copy it from the homeport reference repository")
        }
        return report
    }
}
