import ArgumentParser
import Flux
import Foundation
import HomeportCore
import Manifests

/// `homeport flux tree|build|diff`: what Flux will apply, rendered offline.
struct FluxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flux",
        abstract: "Render the Flux tree offline: list it, build one Kustomization, diff against a git revision.",
        subcommands: [FluxTreeCommand.self, FluxBuildCommand.self, FluxDiffCommand.self]
    )
}

/// Options shared by the flux subcommands.
struct FluxOptions: ParsableArguments {
    @OptionGroup var repoOptions: RepoOptions

    @Option(help: "The Flux entrypoint directory, relative to the repository (default: flux.path of the cluster definition).")
    var path: String?

    @Option(help: "The cluster whose flux.path to use when there are several.")
    var cluster: String?

    func tree(root: String? = nil) throws -> FluxTree {
        let snapshot = try RepoScanner().scan(root: root ?? repoOptions.root)
        return try tree(snapshot)
    }

    func tree(_ snapshot: RepoSnapshot) throws -> FluxTree {
        guard let entrypoint = path ?? FluxEntrypoint.resolve(snapshot, cluster: cluster) else {
            throw HomeportError.usage("no Flux entrypoint: give --path DIR or set flux.path in config/clusters/")
        }
        return FluxTreeBuilder(snapshot: snapshot).build(entrypoint: entrypoint)
    }
}

enum FluxTreeOutput: String, ExpressibleByArgument, CaseIterable {
    case text, json, mermaid
}

struct FluxTreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tree", abstract: "List the Flux Kustomizations reachable from the entrypoint.")

    @OptionGroup var options: FluxOptions

    @Option(help: "text, json or mermaid.")
    var format: FluxTreeOutput = .text

    func run() throws {
        let tree = try options.tree()
        switch format {
        case .text: Output.print(FluxTreeFormat.text(tree))
        case .json: Output.print(FluxTreeFormat.json(tree))
        case .mermaid: Output.print(FluxTreeFormat.mermaid(tree))
        }
    }
}

struct FluxBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Print what one Flux Kustomization applies, as kustomize-controller renders it.")

    @OptionGroup var options: FluxOptions

    @Argument(help: "The Flux Kustomization's name.")
    var name: String

    @Option(help: "Its namespace, when the name is not unique.")
    var namespace: String?

    func run() throws {
        let tree = try options.tree()
        let matches = tree.kustomizations(named: name, namespace: namespace)
        guard let kustomization = matches.first else {
            throw HomeportError.usage("no Flux Kustomization named '\(name)'\(namespace.map { " in namespace \($0)" } ?? "") in the tree; `homeport flux tree` lists them")
        }
        guard matches.count == 1 else {
            throw HomeportError.usage("'\(name)' exists in namespaces \(matches.map(\.reference.namespace).joined(separator: ", ")); pass --namespace")
        }
        for problem in kustomization.errors {
            Output.printError("\(problem.location.path)\(problem.location.line.map { ":\($0)" } ?? ""): \(problem.message)\n")
        }
        Output.print(FluxTreeFormat.build(kustomization))
        if kustomization.errors.contains(where: { $0.kind == .build }) { throw ExitCode.failure }
    }
}

struct FluxDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Render the tree at a git revision and now, and print a unified diff per changed object.")

    @OptionGroup var options: FluxOptions

    @Option(help: "The git revision to compare against.")
    var base: String = "HEAD"

    func run() throws {
        let root = options.repoOptions.root
        let current = try options.tree(root: root)
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-flux-diff-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try Self.git(["-C", root, "worktree", "add", "--detach", temporary + "/base", base])
        defer { try? Self.git(["-C", root, "worktree", "remove", "--force", temporary + "/base"]) }
        let previous = try options.tree(root: temporary + "/base")
        let text = FluxDiff.unified(old: previous, new: current)
        Output.print(text.isEmpty ? "no changes\n" : text)
    }

    static func git(_ arguments: [String]) throws {
        let result = try ProcessRunner().runBlocking(ProcessInvocation("git", arguments, output: .discard, error: .discard))
        guard result.succeeded else {
            throw HomeportError.usage("git \(arguments.dropFirst(2).joined(separator: " ")) failed; is '\(arguments.last ?? "")' a revision of this repository?")
        }
    }
}
