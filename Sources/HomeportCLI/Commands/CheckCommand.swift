import ArgumentParser
import Contract
import HomeportCore

extension ReportFormat: ExpressibleByArgument {}

/// `homeport check`: every rule of the contract over the repository.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the repository against its contract."
    )

    @OptionGroup var repoOptions: RepoOptions

    @Option(help: "Output format: text, json, sarif or github.")
    var format: ReportFormat = .text

    @Option(help: "Run only these rules (comma-separated ids).")
    var only: String?

    @Option(help: "Skip these rules (comma-separated ids).")
    var skip: String?

    @Option(name: .customLong("changed-from"), help: "Report only findings in files changed since this git reference.")
    var changedFrom: String?

    @Option(name: .customLong("schema-location"), help: "A JSON schema directory for k8s.schema: kubeconform-style built-ins or a {group}/{kind}_{version}.json CRD catalog (repeatable).")
    var schemaLocations: [String] = []

    @Option(name: .customLong("kubernetes-version"), help: "Validate built-in kinds against this Kubernetes version's schemas (default: the cluster definition's talos.kubernetesVersion, else the newest built in).")
    var kubernetesVersion: String?

    func run() throws {
        let options = CheckOptions(
            repoRoot: repoOptions.root,
            only: only.map(Self.ids),
            skip: skip.map(Self.ids) ?? [],
            changedFrom: changedFrom,
            schemaLocations: schemaLocations,
            kubernetesVersion: kubernetesVersion
        )
        let report = try CheckRunner.run(options)
        Output.print(format.reporter(colored: Output.useColor).report(report))
        if report.hasErrors { throw ExitCode.failure }
    }

    static func ids(_ list: String) -> Set<String> {
        Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}

import Foundation
