import ArgumentParser
import Contract

/// `homeport docs [--check]`: the generated sections of docs/architecture.md.
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Regenerate the marked sections of docs/architecture.md from the repository, or check them."
    )

    @OptionGroup var repoOptions: RepoOptions

    @Flag(help: "Exit 1 when a generated section is out of date, without writing.")
    var check = false

    func run() throws {
        if check {
            let stale = try DocsRunner.check(repoRoot: repoOptions.root)
            guard stale.isEmpty else {
                Output.printError(stale.map { $0 + "\n" }.joined())
                throw ExitCode.failure
            }
            Output.printError("docs are up to date\n")
        } else {
            let changed = try DocsRunner.write(repoRoot: repoOptions.root)
            Output.printError(changed ? "wrote docs/architecture.md\n" : "docs are up to date\n")
        }
    }
}
