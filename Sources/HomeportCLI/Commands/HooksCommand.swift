import ArgumentParser
import Contract
import Foundation
import HomeportCore

/// `homeport hooks install`: a git pre-commit hook that checks what changed.
struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Install git hooks.",
        subcommands: [Install.self]
    )

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Install a pre-commit hook running `homeport check --changed-from HEAD`."
        )

        @OptionGroup var repoOptions: RepoOptions

        @Flag(help: "Replace a pre-commit hook that homeport did not write.")
        var force = false

        func run() throws {
            let path = try GitHooks.installPreCommit(repoRoot: repoOptions.root, force: force)
            Output.print("installed \(path)\n")
        }
    }
}
