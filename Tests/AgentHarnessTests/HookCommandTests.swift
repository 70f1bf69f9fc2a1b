import Contract
import Foundation
import Testing
import TestSupport
@testable import AgentHarness

/// The configured hook commands, run exactly as the clients run them: the command string from
/// the generated file through `/bin/sh -c`, the payload on stdin, from the repository root and
/// from a subdirectory, with a PATH that holds no homeport.
@Suite struct HookCommandTests {
    static let path = "/usr/bin:/bin"

    /// A repository after `ai init`, with the wrapper and (optionally) a built homeport.
    static func repo(built: Bool, wrapper: Bool = true) throws -> TemporaryRepo {
        let repo = try TemporaryRepo(files: [
            "docs/repo-contract.md": AgentInitTests.contract(),
            "homeport.yaml": "allowedTopLevel: [.claude, .cursor, .codex]\n",
            "config/clusters/prox.yaml": "name: prox\n",
        ])
        _ = try repo.git("init", "-q")
        if wrapper {
            try repo.write("scripts/ai_harness.sh", try String(contentsOfFile: SharedData.packageRoot + "/scripts/ai_harness.sh", encoding: .utf8))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.root + "/scripts/ai_harness.sh")
        }
        if built {
            try FileManager.default.createDirectory(atPath: repo.root + "/.build/debug", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: repo.root + "/.build/debug/homeport", withDestinationPath: HomeportBinary.path)
        }
        _ = try AgentInit.run(root: repo.root, approval: .granted)
        return repo
    }

    /// The command strings the generated files configure for a client.
    static func commands(_ repo: TemporaryRepo, client: String) throws -> [String] {
        let file = ["claude": ".claude/settings.json", "cursor": ".cursor/hooks.json", "codex": ".codex/hooks.json"][client] ?? ""
        return try commands(in: try #require(repo.read(file)))
    }

    static func commands(in text: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var found: [String] = []
        func walk(_ value: Any) {
            if let dictionary = value as? [String: Any] {
                if let command = dictionary["command"] as? String { found.append(command) }
                dictionary.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(object)
        return Array(Set(found))
    }

    /// The environment each client gives its hooks.
    static func environment(_ client: String, root: String) -> [String: String] {
        switch client {
        case "claude": ["PATH": path, "CLAUDE_PROJECT_DIR": root]
        case "cursor": ["PATH": path, "CURSOR_PROJECT_DIR": root]
        default: ["PATH": path]
        }
    }

    /// A payload writing `relative` (absolute path), in the client's documented format.
    static func writePayload(_ client: String, root: String, relative: String, cwd: String) -> String {
        switch client {
        case "claude":
            return GuardFixture.json(["session_id": "s-1", "transcript_path": "/tmp/t.jsonl", "cwd": cwd, "permission_mode": "default",
                                      "hook_event_name": "PreToolUse", "tool_name": "Write", "tool_use_id": "toolu_1",
                                      "tool_input": ["file_path": root + "/" + relative, "content": "a: 1\n"]])
        case "cursor":
            return GuardFixture.json(["hook_event_name": "preToolUse", "conversation_id": "c-1", "generation_id": "g-1", "model": "m",
                                      "cursor_version": "2.0.77", "user_email": "dev@example.com", "transcript_path": "/tmp/t.jsonl",
                                      "workspace_roots": [root], "cwd": cwd, "tool_use_id": "tu-1", "tool_name": "Write",
                                      "tool_input": ["file_path": root + "/" + relative, "content": "a: 1\n"]])
        default:
            return GuardFixture.json(["session_id": "s-1", "turn_id": "turn-1", "transcript_path": NSNull(), "cwd": cwd,
                                      "hook_event_name": "PreToolUse", "model": "gpt-5-codex", "permission_mode": "default",
                                      "tool_name": "apply_patch", "tool_use_id": "call_1",
                                      "tool_input": ["command": "*** Begin Patch\n*** Add File: \(root)/\(relative)\n+a: 1\n*** End Patch\n"]])
        }
    }

    static func run(_ command: String, client: String, repo: TemporaryRepo, payload: String, from directory: String, environment: [String: String]? = nil) throws -> TestProcess.Result {
        try TestProcess.run("/bin/sh", ["-c", command], input: Data(payload.utf8),
                            environment: environment ?? Self.environment(client, root: repo.root), directory: directory)
    }

    @Test(arguments: ["claude", "cursor", "codex"])
    func decisionsReachTheClientFromTheRootAndFromASubdirectory(_ client: String) throws {
        let repo = try Self.repo(built: true)
        let commands = try Self.commands(repo, client: client)
        #expect(commands.count == 1, "one guard command per client")
        for command in commands {
            for directory in [repo.root, repo.root + "/config/clusters"] {
                let denied = try Self.run(command, client: client, repo: repo, payload: Self.writePayload(client, root: repo.root, relative: "docs/x.md", cwd: directory), from: directory)
                #expect(denied.status == 2, "\(client) from \(directory): \(denied.standardError)")
                #expect(denied.standardError.contains("ai.docs-read-only"), "\(denied.standardError)")
                let allowed = try Self.run(command, client: client, repo: repo, payload: Self.writePayload(client, root: repo.root, relative: "config/clusters/new.yaml", cwd: directory), from: directory)
                #expect(allowed.status == 0, "\(client) from \(directory): \(allowed.standardError)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/docs/x.md"))
        let log = try #require(repo.read("logs/ai/hooks.jsonl"))
        #expect(log.split(separator: "\n").count == 4)
    }

    @Test(arguments: ["claude", "cursor", "codex"])
    func nothingBuiltDeniesWithAReason(_ client: String) throws {
        let repo = try Self.repo(built: false)
        for command in try Self.commands(repo, client: client) {
            let result = try Self.run(command, client: client, repo: repo, payload: Self.writePayload(client, root: repo.root, relative: "config/a.yaml", cwd: repo.root + "/config"), from: repo.root + "/config")
            #expect(result.status == 2)
            #expect(result.standardError.contains("ai.internal-error"))
        }
    }

    @Test(arguments: ["claude", "cursor", "codex"])
    func aMissingWrapperDeniesInsteadOf127(_ client: String) throws {
        let repo = try Self.repo(built: true, wrapper: false)
        for command in try Self.commands(repo, client: client) {
            let result = try Self.run(command, client: client, repo: repo, payload: "{}", from: repo.root + "/config")
            #expect(result.status == 2, "\(result.standardError)")
            #expect(result.standardError.contains("ai.internal-error: the guard hook could not run (exit status 127)"))
        }
    }

    @Test func codexRunsItInALoginShell() throws {
        // Codex runs hook commands as `$SHELL -lc COMMAND` in the session's directory.
        let repo = try Self.repo(built: true)
        let command = try #require(try Self.commands(repo, client: "codex").first)
        let directory = repo.root + "/config/clusters"
        let result = try TestProcess.run("/bin/bash", ["-lc", command], input: Data(Self.writePayload("codex", root: repo.root, relative: "docs/z.md", cwd: directory).utf8),
                                         environment: ["PATH": Self.path], directory: directory)
        #expect(result.status == 2)
        #expect(result.standardError.contains("ai.docs-read-only"))
    }

    @Test func doctorSaysWhatTheHooksNeed() throws {
        let repo = try Self.repo(built: false)
        let lines = AgentDoctor.lines(root: repo.root)
        #expect(lines.first == "agent hooks: claude, codex, cursor call `scripts/ai_harness.sh guard`")
        #expect(lines.contains { $0.contains("not built here") })
        #expect(lines.contains { $0.contains(AgentInit.codexTrustNote) })
        let bare = try TemporaryRepo(files: [:])
        #expect(AgentDoctor.lines(root: bare.root) == ["agent hooks: none configured (run `homeport ai init`)"])
    }

    @Test func withoutTheProjectVariableGitFindsTheRoot() throws {
        let repo = try Self.repo(built: true)
        for client in ["claude", "cursor"] {
            let command = try #require(try Self.commands(repo, client: client).first)
            let result = try Self.run(command, client: client, repo: repo, payload: Self.writePayload(client, root: repo.root, relative: "docs/y.md", cwd: repo.root + "/config"),
                                      from: repo.root + "/config", environment: ["PATH": Self.path, "CLAUDE_PROJECT_DIR": "", "CURSOR_PROJECT_DIR": ""])
            #expect(result.status == 2)
            #expect(result.standardError.contains("ai.docs-read-only"), "\(client): \(result.standardError)")
        }
    }

    @Test func outsideAnyRepositoryTheProjectCommandStillDenies() throws {
        let repo = try Self.repo(built: true)
        let outside = try TemporaryRepo(files: [:])
        let command = try #require(try Self.commands(repo, client: "codex").first)
        let result = try Self.run(command, client: "codex", repo: repo, payload: "{}", from: outside.root)
        #expect(result.status == 2)
    }

    @Test func theUserLevelHookLeavesOtherRepositoriesAlone() throws {
        let home = try TemporaryRepo(files: [:])
        _ = try AgentInit.runUser(home: home.root, binary: HomeportBinary.path)
        let elsewhere = try TemporaryRepo(files: ["src/main.c": "int main(void) { return 0; }\n"])
        _ = try elsewhere.git("init", "-q")
        let governed = try Self.repo(built: false)
        for client in ["claude", "cursor", "codex"] {
            let file = ["claude": ".claude/settings.json", "cursor": ".cursor/hooks.json", "codex": ".codex/hooks.json"][client] ?? ""
            let text = try #require(home.read(file))
            let command = try #require(try Self.commands(in: text).first)
            #expect(command.hasPrefix(HomeportBinary.path) || command.hasPrefix("'" + HomeportBinary.path))
            let free = try TestProcess.run("/bin/sh", ["-c", command], input: Data(Self.writePayload(client, root: elsewhere.root, relative: "docs/x.md", cwd: elsewhere.root).utf8),
                                           environment: ["PATH": Self.path], directory: elsewhere.root)
            #expect(free.status == 0, "\(client): \(free.standardError)")
            #expect(!FileManager.default.fileExists(atPath: elsewhere.root + "/logs"))
            let guarded = try TestProcess.run("/bin/sh", ["-c", command], input: Data(Self.writePayload(client, root: governed.root, relative: "docs/x.md", cwd: governed.root).utf8),
                                              environment: ["PATH": Self.path], directory: governed.root)
            #expect(guarded.status == 2, "\(client)")
            #expect(guarded.standardError.contains("ai.docs-read-only"))
        }
    }
}
