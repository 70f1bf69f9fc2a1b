import Flux
import Foundation
import HomeportCore
import MCP
import Manifests

/// `flux_diff`: `homeport flux diff` — the Flux tree at a Git revision against the working
/// tree, object by object with the changed fields and images, through the same Flux library
/// calls as the command. The base is checked out in a temporary worktree; the repository's
/// files are not touched.
struct FluxDiffTool: OperationsTool {
    let name = "flux_diff"
    let summary = "What would change in the cluster between a Git revision and the working tree, like `homeport flux diff --base REV`: changed objects, fields (old → new) and images; Secret values masked."
    let inputSchema = Schema.object([
        "base": Schema.string("The Git revision to compare against (default HEAD), e.g. origin/main."),
        "format": ["type": "string", "enum": .array(FluxChangeSet.Format.allCases.map { .string($0.rawValue) }),
                   "description": "text (default), markdown or github."],
    ])

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        let base = arguments["base"]?.stringValue ?? "HEAD"
        // A revision that starts with `-` would be read by git as an option.
        guard !base.isEmpty, !base.hasPrefix("-"), !base.contains(where: \.isWhitespace) else {
            return .failure("`base` must be a Git revision such as HEAD or origin/main, not '\(base)'")
        }
        let formatName = arguments["format"]?.stringValue ?? FluxChangeSet.Format.text.rawValue
        guard let format = FluxChangeSet.Format(rawValue: formatName) else {
            return .failure("`format` must be one of \(FluxChangeSet.Format.allCases.map(\.rawValue).joined(separator: ", ")), not '\(formatName)'")
        }
        do {
            let current = try Self.tree(context.repoRoot)
            let previous = try RevisionCheckout.with(base, in: context.repoRoot) { try Self.tree($0) }
            return ToolOutput(text: FluxChangeSet(old: previous, new: current).render(format, base: base))
        } catch {
            return .failure("\(error)")
        }
    }

    /// The Flux tree of a checkout, as `homeport flux tree` builds it.
    static func tree(_ root: String) throws -> FluxTree {
        let snapshot = try RepoScanner().scan(root: root)
        guard let entrypoint = FluxEntrypoint.resolve(snapshot, cluster: nil) else {
            throw HomeportError.usage("no Flux entrypoint: set flux.path in config/clusters/")
        }
        return FluxTreeBuilder(snapshot: snapshot).build(entrypoint: entrypoint)
    }
}
