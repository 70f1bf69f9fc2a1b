import ArgumentParser
import Contract
import Foundation
import HomeportCore
import Manifests
import Scaffold

/// `homeport new app|platform`: scaffolds contract-clean folders registered with Flux.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Scaffold an app or a platform component, registered with Flux.",
        subcommands: [App.self, Platform.self]
    )

    /// `--chart` and `--version`, which come as a pair.
    struct ChartOptions: ParsableArguments {
        @Option(help: "An OCI Helm chart to install, e.g. oci://ghcr.io/org/charts/name.")
        var chart: String?

        @Option(help: "The chart version to pin (required with --chart).")
        var version: String?

        func resolve() throws -> OCIChart? {
            switch (chart, version) {
            case (nil, nil): return nil
            case (let chart?, let version?): return try OCIChart(url: chart, version: version)
            case (_?, nil): throw HomeportError.usage("--chart needs --version: what Flux installs is pinned")
            case (nil, _?): throw HomeportError.usage("--version needs --chart")
            }
        }
    }

    struct App: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create cluster/kubernetes/apps/NAME (namespace NAME) and its Flux Kustomization."
        )

        @Argument(help: "The app's name, also its folder and namespace.")
        var name: String

        @OptionGroup var chartOptions: ChartOptions
        @OptionGroup var repoOptions: RepoOptions

        @Flag(help: "Print the files that would be written, write nothing.")
        var dryRun = false

        func run() throws {
            let root = repoOptions.root
            let plan = try Scaffolder(snapshot: RepoScanner().scan(root: root)).planApp(name: name, chart: chartOptions.resolve())
            try NewCommand.finish(plan, root: root, dryRun: dryRun)
        }
    }

    struct Platform: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add component NAME to cluster/kubernetes/platform/CONCERN (created if new) and register the concern with Flux."
        )

        @Argument(help: "The concern folder, e.g. backup or storage.")
        var concern: String

        @Argument(help: "The component's name (its file and objects).")
        var name: String

        @Option(help: "The namespace of a new concern (default: the concern's name).")
        var namespace: String?

        @OptionGroup var chartOptions: ChartOptions
        @OptionGroup var repoOptions: RepoOptions

        @Flag(help: "Print the files that would be written, write nothing.")
        var dryRun = false

        func run() throws {
            let root = repoOptions.root
            let plan = try Scaffolder(snapshot: RepoScanner().scan(root: root))
                .planPlatform(concern: concern, name: name, namespace: namespace, chart: chartOptions.resolve())
            try NewCommand.finish(plan, root: root, dryRun: dryRun)
        }
    }

    static func finish(_ plan: ScaffoldPlan, root: String, dryRun: Bool) throws {
        if !dryRun { try plan.apply(root: root) }
        let verb = dryRun ? "would " : ""
        for file in plan.files {
            Output.print("\(verb)\(file.change == .create ? "create" : "update") \(file.path)\n")
        }
        // The architecture document lists apps and the Flux graph: keep it in step.
        if !dryRun, FileManager.default.fileExists(atPath: root + "/" + ArchitectureDocs.path),
           try DocsRunner.write(repoRoot: root) {
            Output.print("update \(ArchitectureDocs.path)\n")
        }
        if !dryRun { Output.print("next: homeport check, then commit and push; Flux reconciles it.\n") }
    }
}
