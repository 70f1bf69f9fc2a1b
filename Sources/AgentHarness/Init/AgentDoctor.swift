import Contract
import Foundation

/// What `homeport doctor` says about the agent hooks of a repository: which clients are wired,
/// whether the guard can run, and what Codex needs before it runs project hooks.
public enum AgentDoctor {
    public static func lines(root: String) -> [String] {
        let hookFiles = ["claude": ".claude/settings.json", "cursor": ".cursor/hooks.json", "codex": ".codex/hooks.json"]
        let wired = hookFiles.keys.sorted().filter { FileManager.default.fileExists(atPath: root + "/" + (hookFiles[$0] ?? "")) }
        guard !wired.isEmpty else { return ["agent hooks: none configured (run `homeport ai init`)"] }
        var lines = ["agent hooks: \(wired.joined(separator: ", ")) call `\(AgentClientConfig.wrapper) guard`"]
        let built = ["release", "debug"].contains { FileManager.default.isExecutableFile(atPath: root + "/.build/\($0)/homeport") }
        if !built { lines.append("agent hooks: homeport is not built here, so every hooked tool call is denied until `swift build` runs") }
        if wired.contains("codex") { lines.append("agent hooks: " + AgentInit.codexTrustNote) }
        return lines
    }
}
