import Manifests

/// The layout the contract document (`docs/repo-contract.md`) allows. Its fenced tree blocks
/// (a block whose first line is `.`) list the top-level entries; an amendment adds its own
/// block, so amending the document is how a new top-level directory becomes legal.
public struct ContractDocument: Sendable {
    public static let path = "docs/repo-contract.md"

    /// The top-level layout of the user's contract, used when the document is missing.
    public static let defaultTopLevel: Set<String> = [
        "cluster", "infrastructure", "config", "scripts", "synology", "ai", "logs", "docs",
    ]

    /// Top-level directory names the document allows (without the trailing `/`).
    public let allowedDirectories: Set<String>
    /// Top-level file names the document lists.
    public let listedFiles: Set<String>
    /// Line of each listed top-level directory, for drift findings.
    public let lineOfDirectory: [String: Int]
    /// False when the document does not exist or has no tree block.
    public let isPresent: Bool

    public init(file: RepoFile?) {
        guard let text = file?.text else {
            self.allowedDirectories = Self.defaultTopLevel
            self.listedFiles = []
            self.lineOfDirectory = [:]
            self.isPresent = false
            return
        }
        let tree = Self.parseTreeBlocks(text)
        self.allowedDirectories = tree.directories.isEmpty ? Self.defaultTopLevel : Set(tree.directories.keys)
        self.listedFiles = tree.files
        self.lineOfDirectory = tree.directories
        self.isPresent = !tree.directories.isEmpty
    }

    /// Reads the top-level entries of every tree block (the same reading as
    /// ``ContractLayoutTree``, which also keeps the nested entries).
    static func parseTreeBlocks(_ text: String) -> (directories: [String: Int], files: Set<String>) {
        var directories: [String: Int] = [:]
        var files: Set<String> = []
        for entry in ContractLayoutTree(text: text).entries where !entry.path.contains("/") {
            if entry.isDirectory {
                directories[entry.path] = directories[entry.path] ?? entry.line
            } else {
                files.insert(entry.path)
            }
        }
        return (directories, files)
    }
}

import Foundation
