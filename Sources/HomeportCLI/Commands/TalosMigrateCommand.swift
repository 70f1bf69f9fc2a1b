import ArgumentParser
import Foundation
import HomeportCore
import Talos

extension TalosCommand {
    /// `homeport talos migrate`: moves patch fields into the documents of the cluster's release.
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite cluster/talos/patches for the Talos release in the cluster definition (fields it moved go to their new documents); prints the result unless --write.")

        @OptionGroup var cluster: ClusterOptions

        @Flag(help: "Write the rewritten patches instead of printing them.")
        var write = false

        func run() throws {
            let (input, workspace) = try cluster.load()
            let contract = try input.contract
            let rewrites = try workspace.migratedPatches(to: contract)
            if rewrites.isEmpty {
                Output.print("no patch sets a field Talos \(contract) moved\n")
                return
            }
            for rewrite in rewrites {
                for note in rewrite.notes { Output.print("\(rewrite.path): \(note)\n") }
                if write {
                    try AtomicFile.write(rewrite.text, to: URL(fileURLWithPath: workspace.repositoryRoot + "/" + rewrite.path))
                    Output.print("wrote \(rewrite.path)\n")
                } else {
                    Output.print("--- \(rewrite.path) (not written; pass --write)\n\(rewrite.text)")
                }
            }
            Output.print("run `homeport check` next: talos.patch-schema names any field left to move by hand\n")
        }
    }
}
