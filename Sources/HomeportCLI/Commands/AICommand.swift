import AgentHarness
import ArgumentParser
import Foundation

extension HookClient: ExpressibleByArgument {}
extension AgentRole: ExpressibleByArgument {}

/// `homeport ai …`: the harness that lets agents work inside the contract.
struct AICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ai",
        abstract: "The AI harness: guard hook, MCP server, client configs, task runs.",
        subcommands: [Guard.self, MCPServe.self, Init.self]
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

        func run() throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let outcome = HookGuard(client: client, repoRoot: repo).run(input: input)
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
            abstract: "Write the agent-client configs (.mcp.json, hook settings) and the agent section of AGENTS.md from the contract."
        )

        @Option(help: "Clients to configure (comma-separated): claude, cursor, codex.")
        var clients: String = "claude,cursor,codex"

        @OptionGroup var repoOptions: RepoOptions

        func run() throws {
            let list = clients.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let report = try AgentInit.run(root: repoOptions.root, clients: list)
            Output.print(report.text)
        }
    }
}
