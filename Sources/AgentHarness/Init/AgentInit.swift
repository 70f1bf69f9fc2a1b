import Contract
import Foundation
import HomeportCore
import Manifests

/// `homeport ai init`: writes the agent-client configs and the agent section of `AGENTS.md`
/// from the contract. Files are merged (other MCP servers and hooks stay), never replaced
/// blindly; an existing file that does not parse stops the run with its file and line. When
/// the configs need top-level directories the contract does not list, the contract is amended
/// first, and only with a human's approval.
public enum AgentInit {
    /// Which client files to write.
    public static let clientFiles: [String: [String]] = [
        "claude": [".mcp.json", ".claude/settings.json"],
        "cursor": [".cursor/hooks.json", ".cursor/mcp.json"],
        "codex": [".codex/hooks.json", ".codex/config.toml"],
    ]

    /// What Codex needs before it runs project hooks; `ai init` and `doctor` print it.
    public static let codexTrustNote = "Codex runs the hooks and MCP server in .codex/ only for a trusted project: start codex in this repository, accept the trust prompt, and check /hooks lists the homeport guard."

    public struct Report: Sendable {
        public var written: [String] = []
        public var unchanged: [String] = []
        /// The amendment added to the contract, if one was needed and approved.
        public var amendmentAdded: ContractAmendment?
        /// Set when the run stopped before writing anything: why, and what it would have added.
        public var stopped: (reason: String, amendment: ContractAmendment)?
        /// Things the user must do next.
        public var notes: [String] = []

        /// What `ai init` prints.
        public var text: String {
            var lines: [String] = []
            if let stopped {
                lines.append("nothing written: \(stopped.reason)")
                lines.append("the amendment to \(ContractDocument.path) would be:")
                lines.append(stopped.amendment.text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
                return lines.joined(separator: "\n") + "\n"
            }
            if let amendment = amendmentAdded {
                lines.append("amended \(ContractDocument.path) (\(amendment.date)): admits \(amendment.directories.map { $0 + "/" }.joined(separator: ", "))")
            }
            lines += written.map { "wrote \($0)" } + unchanged.map { "unchanged \($0)" } + notes.map { "note: \($0)" }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Writes the configs of `clients` into the repository at `root`.
    public static func run(root: String, clients: [String] = ["claude", "cursor", "codex"], approval: AmendmentApproval = .unavailable) throws -> Report {
        let wanted = try wantedFiles(clients)
        let files = AgentClientConfig.files.filter { wanted.contains($0.path) }
        try refuseBrokenFiles(files, base: root, shownBase: "")
        var report = Report()
        guard try amendIfNeeded(for: files.map(\.path), root: root, approval: approval, report: &report) else { return report }
        try write(files, base: root, into: &report)
        let agentsPath = root + "/" + AgentClientConfig.agentsPath
        let agents = try? String(contentsOfFile: agentsPath, encoding: .utf8)
        let updated = AgentClientConfig.updatingAgents(agents)
        if updated == agents {
            report.unchanged.append(AgentClientConfig.agentsPath)
        } else {
            try AtomicFile.write(updated, to: URL(fileURLWithPath: agentsPath))
            report.written.append(AgentClientConfig.agentsPath)
        }
        if clients.contains("codex") { report.notes.append(codexTrustNote) }
        return report
    }

    /// Writes the user-level hooks (under `home`) that run `binary` by absolute path.
    public static func runUser(home: String, binary: String, clients: [String] = ["claude", "cursor", "codex"]) throws -> Report {
        guard binary.hasPrefix("/") else { throw HomeportError.usage("user-level hooks need an absolute path to homeport, not '\(binary)'") }
        let wanted = try wantedFiles(clients)
        let files = AgentClientConfig.files(for: .user(binary: binary)).filter { wanted.contains($0.path) }
        try refuseBrokenFiles(files, base: home, shownBase: "~/")
        var report = Report()
        try write(files, base: home, into: &report, shownBase: "~/")
        if clients.contains("codex") { report.notes.append("Codex asks once to trust a new hook in ~/.codex/hooks.json; accept it and check /hooks lists the homeport guard.") }
        return report
    }

    /// Adds the amendment the paths need, if any. False when the run must stop without writing
    /// (no approval possible, or declined); the report says why and shows the amendment.
    static func amendIfNeeded(for paths: [String], root: String, approval: AmendmentApproval, report: inout Report) throws -> Bool {
        let missing = try ContractAmendment.missingDirectories(for: paths, root: root)
        guard !missing.isEmpty else { return true }
        let amendment = ContractAmendment(directories: missing)
        if case .unavailable = approval {
            let list = missing.map { $0 + "/" }.joined(separator: ", ")
            report.stopped = ("this needs the top-level directories \(list), which \(ContractDocument.path) does not list, and only a human amends the contract: run again on a terminal to confirm, or with --yes", amendment)
            return false
        }
        guard approval.approves(amendment) else {
            report.stopped = ("the amendment was declined", amendment)
            return false
        }
        try amendment.append(root: root)
        report.amendmentAdded = amendment
        return true
    }

    private static func wantedFiles(_ clients: [String]) throws -> Set<String> {
        let unknown = clients.filter { clientFiles[$0] == nil }
        if !unknown.isEmpty { throw HomeportError.usage("unknown client(s) \(unknown.joined(separator: ", ")); expected claude, cursor, codex") }
        return Set(clients.flatMap { clientFiles[$0] ?? [] })
    }

    /// Stops, before anything is written, when an existing JSON config does not parse: it is
    /// never overwritten silently.
    static func refuseBrokenFiles(_ files: [AgentClientConfig.File], base: String, shownBase: String) throws {
        for generated in files where generated.path.hasSuffix(".json") {
            guard let existing = try? String(contentsOfFile: base + "/" + generated.path, encoding: .utf8),
                  !existing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                  let error = JSONSyntaxError.find(in: existing) else { continue }
            throw HomeportError(
                "\(error.message); the file is not valid JSON, so homeport will not overwrite it. Fix it (or move it away) and run `homeport ai init` again; nothing was written",
                at: SourceLocation(path: shownBase + generated.path, line: error.line, column: error.column))
        }
    }

    static func write(_ files: [AgentClientConfig.File], base: String, into report: inout Report, shownBase: String = "") throws {
        for generated in files {
            let path = base + "/" + generated.path
            let existing = try? String(contentsOfFile: path, encoding: .utf8)
            guard let merged = merge(existing, generated) else {
                throw HomeportError("the existing file does not parse; fix it or move it away", at: SourceLocation(path: shownBase + generated.path))
            }
            if merged == existing {
                report.unchanged.append(shownBase + generated.path)
            } else {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try AtomicFile.write(merged, to: URL(fileURLWithPath: path))
                report.written.append(shownBase + generated.path)
            }
        }
    }

    /// The file with homeport's part set; nil when the existing file does not parse.
    static func merge(_ existing: String?, _ generated: AgentClientConfig.File) -> String? {
        guard let existing, !existing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return generated.content }
        switch generated.ownedPart {
        case .wholeFile:
            return generated.content
        case .textBlock(let block):
            if existing.contains(block) { return existing }
            let header = block.split(separator: "\n").first.map(String.init) ?? ""
            if let start = existing.range(of: header) {
                // Replace the old block up to the next table header.
                let rest = existing[start.upperBound...]
                let end = rest.range(of: "\n[")?.lowerBound ?? existing.endIndex
                return String(existing[..<start.lowerBound]) + block + String(existing[end...]).drop { $0 == "\n" }.description
            }
            return existing + (existing.hasSuffix("\n") ? "\n" : "\n\n") + block
        case .jsonValue(let path, let value):
            guard var parsed = JSONValue.parse(existing) else { return nil }
            if parsed[path] == value { return existing }
            parsed.set(value, at: path)
            return parsed.rendered
        case .jsonArrayElements(let entries):
            guard var parsed = JSONValue.parse(existing) else { return nil }
            var changed = false
            for entry in entries {
                var items: [JSONValue] = []
                if case .array(let current)? = parsed[entry.keyPath] { items = current }
                guard !items.contains(entry.value) else { continue }
                // An older homeport guard entry is replaced, not duplicated.
                items.removeAll { $0.rendered.contains(" guard --client ") }
                items.append(entry.value)
                parsed.set(.array(items), at: entry.keyPath)
                changed = true
            }
            return changed ? parsed.rendered : existing
        }
    }
}
