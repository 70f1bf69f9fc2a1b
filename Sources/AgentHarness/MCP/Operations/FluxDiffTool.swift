import Flux
import Foundation
import HomeportCore
import MCP
import Manifests

/// `flux_diff`: `homeport flux diff` — the Flux tree at a Git revision against the working
/// tree, one unified diff per changed object. The base is checked out in a temporary worktree;
/// the repository's files are not touched.
struct FluxDiffTool: OperationsTool {
    let name = "flux_diff"
    let summary = "What would change in the cluster between a Git revision and the working tree, like `homeport flux diff --base REV`: one unified diff per changed object."
    let inputSchema = Schema.object(["base": Schema.string("The Git revision to compare against (default HEAD), e.g. origin/main.")])

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        let base = arguments["base"]?.stringValue ?? "HEAD"
        // A revision that starts with `-` would be read by git as an option.
        guard !base.isEmpty, !base.hasPrefix("-"), !base.contains(where: \.isWhitespace) else {
            return .failure("`base` must be a Git revision such as HEAD or origin/main, not '\(base)'")
        }
        let root = context.repoRoot
        let git = ProcessRunner(environment: context.environment.isEmpty ? ProcessInfo.processInfo.environment : context.environment)
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-flux-diff-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        do {
            let current = try Self.tree(root)
            let added = try await git.run(ProcessInvocation("git", ["-C", root, "worktree", "add", "--detach", temporary, base], environment: git.environment,
                                                            output: .discard, error: .capture))
            guard added.succeeded else {
                return .failure("git worktree add failed; is '\(base)' a revision of this repository? \(added.error.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            let previous = Result { try Self.tree(temporary) }
            _ = try? await git.run(ProcessInvocation("git", ["-C", root, "worktree", "remove", "--force", temporary], environment: git.environment, output: .discard, error: .discard))
            let text = FluxDiff.unified(old: try previous.get(), new: current)
            return ToolOutput(text: text.isEmpty ? "no changes\n" : text)
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
