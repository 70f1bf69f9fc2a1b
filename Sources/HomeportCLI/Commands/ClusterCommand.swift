import ArgumentParser
import ClusterSpec
import HomeportCore

/// `homeport cluster validate|sync|env|settings`: the cluster definition and what derives from it.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Validate the cluster definition and write what derives from it (env file, cluster-settings, Flux sync, NAS runbook).",
        subcommands: [Validate.self, Sync.self, Env.self, Settings.self]
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

    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every tracked file that carries a value of the cluster definition, or list the drift with --check.",
            discussion: """
            The env file and the cluster-settings ConfigMap are generated whole; the FluxInstance's \
            spec.sync (url, ref, path) and the marked section of synology/exports.md are edited in \
            place. Files are written atomically, and only when every one of them can be derived.
            """
        )

        @OptionGroup var options: ClusterOptions

        @Flag(help: "Write nothing; exit 1 and list each file that differs from the definition.")
        var check = false

        func run() throws {
            let loaded = try options.workspace.load(named: options.cluster)
            let sync = ClusterSync(workspace: options.workspace)
            if check {
                let drift = try sync.drift(loaded)
                guard drift.isEmpty else {
                    Output.printError(ClusterSync.driftReport(drift, definitionPath: loaded.path))
                    throw ExitCode.failure
                }
                Output.printError("every file derived from \(loaded.path) is up to date\n")
            } else {
                Output.print(ClusterSync.report(try sync.write(loaded)))
            }
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
