import Contract
import Foundation
import MCP
import Manifests

/// `cluster_view`: the cluster definitions in `config/clusters/` and their problems.
struct ClusterViewTool: HarnessTool {
    let name = "cluster_view"
    let summary = "Shows the cluster definitions in config/clusters/ (YAML) with any problems the loader found."
    let inputSchema = Schema.object(["name": Schema.string("A cluster name (file name without .yaml); omit for all.")])
    let isReadOnly = true
    let roles = Set(AgentRole.allCases)

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        let folder = context.repoRoot + "/config/clusters"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        let wanted = arguments["name"]?.stringValue
        var files: [String: String] = [:]
        for name in names where wanted == nil || name.split(separator: ".").first.map(String.init) == wanted {
            files["config/clusters/" + name] = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
        }
        guard !files.isEmpty else {
            return .failure(wanted.map { "no cluster definition config/clusters/\($0).yaml" } ?? "config/clusters/ holds no cluster definition")
        }
        let context = RuleContext(snapshot: RepoScanner.snapshot(root: context.repoRoot, files: files))
        var text = ""
        var entries: [Value] = []
        for cluster in context.clusters {
            let issues = cluster.issues.map { issue in issue.mark.map { "line \($0.line): \(issue.message)" } ?? issue.message }
            text += "# \(cluster.path)\n\(files[cluster.path] ?? "")\n"
            if !issues.isEmpty { text += "Problems:\n" + issues.map { "- \($0)" }.joined(separator: "\n") + "\n" }
            entries.append(["path": .string(cluster.path), "yaml": .string(files[cluster.path] ?? ""), "issues": .array(issues.map { .string($0) })])
        }
        return ToolOutput(text: text, structured: ["clusters": .array(entries)])
    }
}
