import Contract
import Foundation
import HomeportCore
import Manifests

/// `homeport ai init`: writes the agent-client configs and the agent section of `AGENTS.md`
/// from the contract. Files are merged (other MCP servers and hooks stay), never replaced
/// blindly; a file that would need a top-level directory the contract does not list is not
/// written: that needs a human amendment first.
public enum AgentInit {
    /// Which client files to write.
    public static let clientFiles: [String: [String]] = [
        "claude": [".mcp.json", ".claude/settings.json"],
        "cursor": [".cursor/hooks.json", ".cursor/mcp.json"],
        "codex": [".codex/config.toml"],
    ]

    public struct Report: Sendable {
        public var written: [String] = []
        public var unchanged: [String] = []
        /// Files not written, with why and what they would hold.
        public var refused: [(path: String, reason: String, content: String)] = []

        /// What `ai init` prints.
        public var text: String {
            var lines = written.map { "wrote \($0)" } + unchanged.map { "unchanged \($0)" }
            for item in refused {
                lines.append("not written \(item.path): \(item.reason)")
                lines.append(item.content.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    public static func run(root: String, clients: [String] = ["claude", "cursor", "codex"]) throws -> Report {
        let unknown = clients.filter { clientFiles[$0] == nil }
        if !unknown.isEmpty { throw HomeportError.usage("unknown client(s) \(unknown.joined(separator: ", ")); expected claude, cursor, codex") }
        let wanted = Set(clients.flatMap { clientFiles[$0] ?? [] })
        let configuration = try CheckRunner.loadConfiguration(root: root)
        let contractText = try? String(contentsOfFile: root + "/" + ContractDocument.path, encoding: .utf8)
        let contract = ContractDocument(file: RepoScanner.snapshot(root: root, files: contractText.map { [ContractDocument.path: $0] } ?? [:]).file(ContractDocument.path))
        let allowed = contract.allowedDirectories.union(configuration.extraTopLevel)
        var report = Report()
        for generated in AgentClientConfig.files where wanted.contains(generated.path) {
            let path = root + "/" + generated.path
            if let top = generated.path.split(separator: "/").dropLast().first.map(String.init),
               !FileManager.default.fileExists(atPath: root + "/" + top), !allowed.contains(top) {
                report.refused.append((generated.path,
                                       "it needs the top-level directory \(top)/, which docs/repo-contract.md does not list; a human amends the contract (or lists it under allowedTopLevel in homeport.yaml), then run `homeport ai init` again. It would hold:",
                                       generated.content))
                continue
            }
            let existing = try? String(contentsOfFile: path, encoding: .utf8)
            guard let merged = merge(existing, generated) else {
                report.refused.append((generated.path, "the existing file does not parse, so it is left alone; fix it or move it away. The generated part is:", generated.content))
                continue
            }
            if merged == existing {
                report.unchanged.append(generated.path)
            } else {
                try AtomicFile.write(merged, to: URL(fileURLWithPath: path))
                report.written.append(generated.path)
            }
        }
        let agentsPath = root + "/" + AgentClientConfig.agentsPath
        let agents = try? String(contentsOfFile: agentsPath, encoding: .utf8)
        let updated = AgentClientConfig.updatingAgents(agents)
        if updated == agents {
            report.unchanged.append(AgentClientConfig.agentsPath)
        } else {
            try AtomicFile.write(updated, to: URL(fileURLWithPath: agentsPath))
            report.written.append(AgentClientConfig.agentsPath)
        }
        return report
    }

    /// The file with homeport's part set; nil when the existing file does not parse.
    static func merge(_ existing: String?, _ generated: AgentClientConfig.File) -> String? {
        guard let existing, !existing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return generated.content }
        switch generated.ownedPart {
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
                items.removeAll { $0.rendered.contains(AgentClientConfig.wrapper + " guard") }
                items.append(entry.value)
                parsed.set(.array(items), at: entry.keyPath)
                changed = true
            }
            return changed ? parsed.rendered : existing
        }
    }
}
