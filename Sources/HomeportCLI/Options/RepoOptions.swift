import ArgumentParser
import Manifests

/// `--repo DIR`, shared by every command that reads the repository.
struct RepoOptions: ParsableArguments {
    @Option(name: .long, help: "The repository to work on (default: the enclosing git repository).")
    var repo: String?

    var root: String { RepoLocator.root(explicit: repo) }
}
