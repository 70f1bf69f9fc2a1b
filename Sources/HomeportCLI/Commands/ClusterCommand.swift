import ArgumentParser
import ClusterSpec
import HomeportCore

/// `homeport cluster validate|env`: the cluster definition and what derives from it.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Validate the cluster definition and write what derives from it.",
        subcommands: [Validate.self, Env.self]
    )

    /// `--repo` and `--cluster`, shared by the subcommands.
    struct ClusterOptions: ParsableArguments {
        @OptionGroup var repoOptions: RepoOptions

        @Option(help: "The cluster (a file name in config/clusters/ without .yaml); default: the only one.")
        var cluster: String?

        var workspace: ClusterWorkspace { ClusterWorkspace(root: repoOptions.root) }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a cluster definition; print each problem as path:line:col: error: message."
        )

        @OptionGroup var options: ClusterOptions

        func run() throws {
            let loaded = try options.workspace.load(named: options.cluster)
            guard loaded.issues.isEmpty else {
                Output.print(loaded.issues.map { $0.formatted(path: loaded.path) + "\n" }.joined())
                Output.printError("\(loaded.path): \(loaded.issues.count) problem(s)\n")
                throw ExitCode.failure
            }
            Output.print("\(loaded.path): valid\n")
        }
    }

    struct Env: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print config/env/NAME.env as the cluster definition derives it, write it, or check it for drift."
        )

        @OptionGroup var options: ClusterOptions

        @Flag(help: "Write config/env/NAME.env (atomically).")
        var write = false

        @Flag(help: "Exit 1 when config/env/NAME.env differs from what the definition derives.")
        var check = false

        func validate() throws {
            if write && check { throw ValidationError("--write and --check cannot be used together") }
        }

        func run() throws {
            let workspace = options.workspace
            let loaded = try workspace.load(named: options.cluster)
            let envPath = EnvFile.path(forCluster: loaded.clusterName)
            if write {
                let result = try workspace.writeEnv(loaded)
                Output.printError(result.changed ? "wrote \(result.path)\n" : "\(result.path) is up to date\n")
            } else if check {
                let state = try workspace.envState(loaded)
                if let message = ClusterWorkspace.driftMessage(state, envPath: envPath, definitionPath: loaded.path) {
                    // Drift has a line to point at; a missing file has none, and the message names it.
                    if case .drifted(let line, _) = state {
                        Output.printError("\(envPath):\(line): error: \(message)\n")
                    } else {
                        Output.printError("error: \(message)\n")
                    }
                    throw ExitCode.failure
                }
                Output.printError("\(envPath) is up to date\n")
            } else {
                Output.print(try workspace.renderEnv(loaded))
            }
        }
    }
}
