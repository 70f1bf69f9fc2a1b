import ArgumentParser
import Bootstrap
import ClusterSpec
import Foundation

/// `--repo DIR --cluster NAME`, and loading the cluster's facts.
struct ClusterOptions: ParsableArguments {
    @OptionGroup var repoOptions: RepoOptions

    @Option(help: "The cluster (a file in config/clusters/; default: the only one).")
    var cluster: String?

    var root: String { repoOptions.root }

    /// The validated definition of `--cluster`.
    func definition() throws -> ClusterDefinition {
        try ClusterDefinition.loadValid(repoRoot: root, cluster: cluster)
    }
}

/// Text or JSON output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
