import ArgumentParser

/// `homeport cluster validate|env`: the cluster definition and what derives from it.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Validate the cluster definition and write what derives from it.",
        subcommands: []
    )
}
