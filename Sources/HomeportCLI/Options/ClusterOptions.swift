import ArgumentParser
import Bootstrap
import Foundation

/// `--repo DIR --cluster NAME`, and loading the cluster's facts.
struct ClusterOptions: ParsableArguments {
    @OptionGroup var repoOptions: RepoOptions

    @Option(help: "The cluster (a file in config/clusters/; default: the only one).")
    var cluster: String?

    var root: String { repoOptions.root }

    func facts() throws -> ClusterFacts {
        let path = try ClusterFactsLoader.definitionPath(repoRoot: root, cluster: cluster)
        return try ClusterFactsLoader.load(path: path, displayPath: path.replacingOccurrences(of: root + "/", with: ""))
    }
}

/// Text or JSON output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
