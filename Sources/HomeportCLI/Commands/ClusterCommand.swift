import ArgumentParser
import ClusterSpec
import HomeportCore

/// `homeport cluster validate|env`: the cluster definition and what derives from it.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Validate the cluster definition and write what derives from it (env file, cluster-settings).",
        subcommands: [Validate.self, Env.self, Settings.self]
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
            Output.print(loaded.warnings.map { $0.formatted(path: loaded.path) + "\n" }.joined())
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
        @OptionGroup var mode: DerivedFileMode

        func run() throws {
            try mode.run(.env, options: options)
        }
    }

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the cluster-settings ConfigMap Flux substitutes from, write it beside the Flux entrypoint, or check it for drift."
        )

        @OptionGroup var options: ClusterOptions
        @OptionGroup var mode: DerivedFileMode

        func run() throws {
            try mode.run(.settings, options: options)
        }
    }

    /// `--write` / `--check` for a derived file; neither prints it.
    struct DerivedFileMode: ParsableArguments {
        @Flag(help: "Write the file (atomically).")
        var write = false

        @Flag(help: "Exit 1 when the file differs from what the definition derives.")
        var check = false

        func validate() throws {
            if write && check { throw ValidationError("--write and --check cannot be used together") }
        }

        func run(_ file: DerivedFile, options: ClusterOptions) throws {
            let workspace = options.workspace
            let loaded = try workspace.load(named: options.cluster)
            if write {
                let result = try workspace.writeEnv(loaded, file)
                Output.printError(result.changed ? "wrote \(result.path)\n" : "\(result.path) is up to date\n")
            } else if check {
                let path = try workspace.derivedPath(loaded, file)
                let state = try workspace.envState(loaded, file)
                if let message = ClusterWorkspace.driftMessage(state, envPath: path, definitionPath: loaded.path, file: file) {
                    // Drift has a line to point at; a missing file has none, and the message names it.
                    if case .drifted(let line, _) = state {
                        Output.printError("\(path):\(line): error: \(message)\n")
                    } else {
                        Output.printError("error: \(message)\n")
                    }
                    throw ExitCode.failure
                }
                Output.printError("\(path) is up to date\n")
            } else {
                Output.print(try workspace.renderEnv(loaded, file))
            }
        }
    }
}
