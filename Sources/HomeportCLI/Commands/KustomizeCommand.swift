import ArgumentParser
import Foundation
import HomeportCore
import Kustomize

/// `homeport kustomize build DIR`: kustomize in-process, printing what `kubectl kustomize` prints.
struct KustomizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kustomize",
        abstract: "Build kustomizations in-process (same output as kubectl kustomize).",
        subcommands: [KustomizeBuildCommand.self]
    )
}

struct KustomizeBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Print the objects a kustomization directory builds, in kustomize's order."
    )

    @Argument(help: "The directory holding kustomization.yaml.")
    var directory: String

    func run() throws {
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        let kustomizer = Kustomizer(files: DiskFileSource())
        do {
            Output.print(Kustomizer.render(try kustomizer.build(directory: absolute)))
        } catch let error as KustomizeError {
            throw HomeportError(error.message, at: SourceLocation(path: error.path, line: error.line))
        }
    }
}
