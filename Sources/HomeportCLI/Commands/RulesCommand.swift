import ArgumentParser
import Contract

/// `homeport rules`: the rule catalogue, as text, JSON or the Markdown of `docs/rules.md`.
struct RulesCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules homeport check enforces."
    )

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    func run() throws {
        let rules = RuleRegistry.all.map { $0.description }
        switch format {
        case .text: Output.print(RuleCatalogue.text(rules))
        case .json: Output.print(RuleCatalogue.json(rules))
        case .markdown: Output.print(RuleCatalogue.markdown(rules))
        }
    }
}
