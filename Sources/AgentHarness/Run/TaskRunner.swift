import Contract
import Foundation
import HomeportCore
import MCP

/// What `homeport ai run` was asked to do.
public struct RunOptions: Sendable {
    public var repoRoot: String
    public var taskID: String
    public var dryRun = false
    /// Approve the change without asking (otherwise a human on a terminal answers; no
    /// terminal means deny).
    public var approve = false
    public var maxTurnsPerRole = 12
    public var maxToolCalls = 40

    public init(repoRoot: String, taskID: String) {
        self.repoRoot = repoRoot
        self.taskID = taskID
    }
}

/// How a run ended.
public struct RunResult: Sendable {
    public enum Status: String, Sendable {
        case committed
        case dryRun = "dry-run"
        case notApproved = "not-approved"
        case planRejected = "plan-rejected"
        case validationFailed = "validation-failed"
        case budgetExceeded = "budget-exceeded"
        case failed
    }

    public var status: Status
    public var branch: String?
    public var logFolder: String
    public var summary: String

    /// Only a committed change (or a clean dry run) is success.
    public var succeeded: Bool { status == .committed || status == .dryRun }
}

/// `homeport ai run TASK`: Planner → Engineer → Executor. The planner proposes files and
/// steps (rejected before any edit when out of contract); the engineer edits a worktree of a
/// new branch through the guarded tools; the executor checks the change, shows the diff and
/// asks for approval before committing. Nothing is ever applied to a cluster.
public struct TaskRunner: Sendable {
    public var options: RunOptions
    public var backend: any ChatBackend
    /// Answers the approval question; nil when no human can be asked.
    public var askHuman: (@Sendable (String) -> Bool)?

    public init(options: RunOptions, backend: any ChatBackend, askHuman: (@Sendable (String) -> Bool)? = nil) {
        self.options = options
        self.backend = backend
        self.askHuman = askHuman
    }

    public func run() async throws -> RunResult {
        let root = PathResolver(root: options.repoRoot).root
        guard let tasksText = try? String(contentsOfFile: root + "/" + TaskFile.path, encoding: .utf8) else {
            throw HomeportError.usage("\(TaskFile.path) does not exist in \(root)")
        }
        guard let task = TaskFile.parse(tasksText).first(where: { $0.id == options.taskID }) else {
            throw HomeportError.usage("no task \(options.taskID) in \(TaskFile.path); `homeport ai mcp` lists them with task_list")
        }
        guard task.problems.isEmpty else {
            throw HomeportError.usage("task \(task.id) (\(TaskFile.path):\(task.line)) has problems: \(task.problems.joined(separator: "; "))")
        }
        let now = Date()
        let dateFormatter = DateFormatter()
        dateFormatter.timeZone = TimeZone(identifier: "UTC")
        dateFormatter.dateFormat = "yyyy-MM-dd"
        let timeFormatter = DateFormatter()
        timeFormatter.timeZone = TimeZone(identifier: "UTC")
        timeFormatter.dateFormat = "HHmmss"
        let runID = timeFormatter.string(from: now) + "-" + UUID().uuidString.prefix(6).lowercased()
        let log = try RunLog(repoRoot: root, date: dateFormatter.string(from: now), runID: runID)
        let branch = "ai/\(task.id)-\(runID)"
        log.event("harness", "start", ["task": .string(task.id), "branch": .string(branch), "dry_run": .bool(options.dryRun)])
        var session = Session(options: options, backend: backend, log: log)

        // 1. Planner: read-only tools plus submit_plan.
        let plan: Plan
        do {
            plan = try await session.plan(task: task, root: root)
        } catch let stop as RunStop {
            return finish(stop.status, stop.message, log: log, branch: nil)
        }
        if let rejection = plan.rejection(for: task, root: root) {
            log.event("planner", "guard_decision", ["decision": "deny", "rule": .string(rejection.ruleID ?? ""), "reason": .string(rejection.reason)])
            log.write("plan.md", plan.markdown + "\n\nRejected before any edit: \(rejection.message)\n")
            return finish(.planRejected, "the plan was rejected before any edit: \(rejection.message)", log: log, branch: nil)
        }
        log.write("plan.md", plan.markdown)

        // 2. Engineer: guarded writes in a worktree of a new branch.
        let workspace = try GitWorkspace.create(repoRoot: root, branch: branch)
        var keepBranch = false
        defer { workspace.remove(keepBranch: keepBranch) }
        do {
            try await session.engineer(task: task, plan: plan, root: workspace.path)
        } catch let stop as RunStop {
            return finish(stop.status, stop.message, log: log, branch: nil)
        }

        // 3. Executor: check, diff, approval.
        let (patch, changed) = try workspace.stagedDiff()
        log.write("diff.patch", patch)
        guard !changed.isEmpty else {
            return finish(.failed, "the engineer changed no file", log: log, branch: nil)
        }
        let outside = changed.filter { !task.allows($0) }
        if !outside.isEmpty {
            return finish(.validationFailed, "changed files outside the task's layers: \(outside.joined(separator: ", "))", log: log, branch: nil)
        }
        let report = try HarnessCheck.run(root: workspace.path, paths: changed, diff: nil).report
        log.write("validation.json", JSONReporter().report(report))
        log.event("executor", "validation", ["errors": .int(report.errorCount), "warnings": .int(report.warningCount), "files": .array(changed.map { .string($0) })])
        if report.hasErrors {
            return finish(.validationFailed, "homeport check found \(report.errorCount) error(s) in the changed files", log: log, branch: nil)
        }
        if options.dryRun {
            return finish(.dryRun, "\(changed.count) file(s) changed, check clean; nothing committed", log: log, branch: nil)
        }
        let question = "Commit \(changed.count) changed file(s) to branch \(branch)?\n\(patch)"
        let approved = options.approve || (askHuman?(question) ?? false)
        log.event("executor", "approval", ["decision": .string(approved ? "approve" : "deny"), "by": .string(options.approve ? "--yes" : askHuman == nil ? "nobody (no terminal)" : "human")])
        guard approved else {
            return finish(.notApproved, "the change was not approved; the diff is in diff.patch", log: log, branch: nil)
        }
        try workspace.commit(message: "ai: \(task.title)\n\nTask \(task.id), run \(runID). Planned, made and checked by homeport ai run; logs in \(AgentPolicy.logDirectory).")
        keepBranch = true
        return finish(.committed, "committed \(changed.count) file(s) to \(branch); homeport check is clean on them", log: log, branch: branch)
    }

    private func finish(_ status: RunResult.Status, _ message: String, log: RunLog, branch: String?) -> RunResult {
        log.event("harness", "finish", ["status": .string(status.rawValue), "message": .string(message)])
        log.write("summary.md", "# Run \(log.runID) of \(options.taskID)\n\nStatus: \(status.rawValue)\n\n\(message)\n" + (branch.map { "\nBranch: `\($0)`\n" } ?? ""))
        return RunResult(status: status, branch: branch, logFolder: log.folder, summary: message)
    }
}

/// Ends a run early with a status.
struct RunStop: Error {
    var status: RunResult.Status
    var message: String
}
