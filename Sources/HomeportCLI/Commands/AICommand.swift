import AgentHarness
import ArgumentParser
import Foundation
import HomeportCore

extension HookClient: ExpressibleByArgument {}
extension AgentRole: ExpressibleByArgument {}

/// `homeport ai …`: the harness that lets agents work inside the contract.
struct AICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ai",
        abstract: "The AI harness: guard hook, MCP server, client configs, task runs.",
        subcommands: [Guard.self, MCPServe.self, Init.self, Run.self]
    )

    struct Guard: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "guard",
            abstract: "Pre-tool-use hook: reads the client's hook JSON on stdin; exit 0 allows, exit 2 denies (reason on stderr)."
        )

        @Option(help: "The hook client: claude, codex or cursor.")
        var client: HookClient = .claude

        @Option(name: .long, help: "The repository (default: the git work tree around the hook's working directory).")
        var repo: String?

        @Flag(name: .customLong("user-level"), help: "Run as a user-level hook: calls outside a homeport repository are let through.")
        var userLevel = false

        func run() throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let outcome = HookGuard(client: client, repoRoot: repo, userLevel: userLevel).run(input: input)
            if !outcome.standardOutput.isEmpty { Output.print(outcome.standardOutput) }
            if !outcome.standardError.isEmpty { Output.printError(outcome.standardError) }
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }

    struct MCPServe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "Serve the contract, the checker and guarded tools over MCP (stdio), filtered by role."
        )

        @Option(help: "The agent role: planner, engineer or executor.")
        var role: AgentRole = .engineer

        @OptionGroup var repoOptions: RepoOptions

        func run() async throws {
            let context = ToolContext(repoRoot: repoOptions.root, role: role, plugins: HarnessPluginSet.available)
            try await HarnessServer(context: context).serveStdio()
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write the agent-client configs (hooks, MCP entries) and the agent section of AGENTS.md from the contract.",
            discussion: "The configs live in .claude/, .cursor/ and .codex/; when the contract does not list them yet, the dated amendment that admits them is shown and added to docs/repo-contract.md after you confirm (or with --yes). Without a terminal and without --yes nothing is written."
        )

        @Option(help: "Clients to configure (comma-separated): claude, cursor, codex.")
        var clients: String = "claude,cursor,codex"

        @Flag(help: "Approve the contract amendment without asking.")
        var yes = false

        @Flag(help: "Write the user-level hook files in your home directory instead (they run this homeport binary by absolute path and let calls outside a homeport repository through).")
        var user = false

        @OptionGroup var repoOptions: RepoOptions

        func run() throws {
            let list = clients.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let report: AgentInit.Report
            if user {
                let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
                report = try AgentInit.runUser(home: FileManager.default.homeDirectoryForCurrentUser.path, binary: binary, clients: list)
            } else {
                report = try AgentInit.run(root: repoOptions.root, clients: list, approval: AmendmentPrompt.approval(yes: yes))
            }
            Output.print(report.text)
            if report.stopped != nil { throw ExitCode.failure }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a task of ai/tasks.md: Planner, Engineer and Executor over an OpenAI-compatible endpoint, on a new branch ai/TASK-RUN."
        )

        @Argument(help: "The task id (its ## heading in ai/tasks.md).")
        var task: String

        @Option(help: "Base URL of an OpenAI-compatible endpoint (the key, if any, comes from HOMEPORT_AI_API_KEY).")
        var backend: String = "http://localhost:11434/v1"

        @Option(help: "The model name.")
        var model: String = "qwen2.5-coder:7b"

        @Flag(name: .customLong("dry-run"), help: "Plan, edit and check in a throwaway worktree; commit nothing.")
        var dryRun = false

        @Flag(help: "Approve the commit without asking.")
        var yes = false

        @Option(name: .customLong("max-turns"), help: "Model turns per role.")
        var maxTurns = 12

        @Option(name: .customLong("max-tool-calls"), help: "Tool calls in the whole run.")
        var maxToolCalls = 40

        @OptionGroup var repoOptions: RepoOptions

        func run() async throws {
            guard let url = URL(string: backend), url.scheme == "http" || url.scheme == "https" else {
                throw HomeportError.usage("--backend must be an http(s) URL, not '\(backend)'")
            }
            var options = RunOptions(repoRoot: repoOptions.root, taskID: task)
            options.dryRun = dryRun
            options.approve = yes
            options.maxTurnsPerRole = maxTurns
            options.maxToolCalls = maxToolCalls
            let endpoint = OpenAICompatibleBackend(baseURL: url, model: model, apiKey: ProcessInfo.processInfo.environment["HOMEPORT_AI_API_KEY"])
            let ask: (@Sendable (String) -> Bool)? = isatty(STDIN_FILENO) == 1 ? Self.askOnTerminal : nil
            let result = try await TaskRunner(options: options, backend: endpoint, askHuman: ask).run()
            Output.print("\(result.status.rawValue): \(result.summary)\nlogs: \(result.logFolder)\n")
            if !result.succeeded { throw ExitCode.failure }
        }

        /// Asks the person at the terminal; anything but yes denies.
        @Sendable static func askOnTerminal(_ question: String) -> Bool {
            FileHandle.standardError.write(Data((question + "\n[y/N] ").utf8))
            return (readLine() ?? "").lowercased().hasPrefix("y")
        }
    }
}
