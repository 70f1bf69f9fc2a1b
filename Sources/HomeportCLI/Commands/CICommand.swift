import AgentHarness
import ArgumentParser
import Foundation

/// `homeport ci …`: the pull-request gate.
struct CICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci",
        abstract: "The pull-request gate: a GitHub Actions workflow running homeport check and the Flux diff.",
        subcommands: [Init.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write .github/workflows/pr-gate.yml (its logic is scripts/pr_gate.sh).",
            discussion: "When the contract does not list .github/ yet, the dated amendment that admits it is shown and added to docs/repo-contract.md after you confirm (or with --yes). Without a terminal and without --yes nothing is written."
        )

        @Flag(help: "Approve the contract amendment without asking.")
        var yes = false

        @OptionGroup var repoOptions: RepoOptions

        func run() throws {
            let report = try CIInit.run(root: repoOptions.root, approval: AmendmentPrompt.approval(yes: yes))
            Output.print(report.text)
            if report.stopped != nil { throw ExitCode.failure }
        }
    }
}

/// How the init commands get a human's approval for a contract amendment.
enum AmendmentPrompt {
    static func approval(yes: Bool) -> AmendmentApproval {
        if yes { return .granted }
        guard isatty(STDIN_FILENO) == 1 else { return .unavailable }
        return .ask { text in
            FileHandle.standardError.write(Data(("This adds an amendment to docs/repo-contract.md:\n\n" + text + "\nAdd it? [y/N] ").utf8))
            return (readLine() ?? "").lowercased().hasPrefix("y")
        }
    }
}
