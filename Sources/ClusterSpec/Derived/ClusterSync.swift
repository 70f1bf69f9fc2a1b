import Foundation
import HomeportCore

/// `homeport cluster sync`: every tracked file that carries a value of the definition, derived
/// again. Everything is computed before anything is written, so a file that cannot be derived
/// (say, the runbook lost its markers) leaves the repository as it was.
public struct ClusterSync: Sendable {
    /// One derived file: where it is and how it compares with the definition.
    public struct Entry: Sendable, Equatable {
        public var file: DerivedFile
        public var path: String
        public var state: ClusterWorkspace.EnvState
        /// What the file should hold; nil for an optional file that does not exist.
        public var expected: String?
    }

    public let workspace: ClusterWorkspace

    public init(workspace: ClusterWorkspace) {
        self.workspace = workspace
    }

    /// Every derived file of a valid definition that exists or must exist, in
    /// ``DerivedFile/allCases`` order. Throws the first file that cannot be derived.
    public func entries(_ loaded: LoadedClusterDefinition) throws -> [Entry] {
        let definition = try loaded.validDefinition()
        var entries: [Entry] = []
        for file in DerivedFile.allCases {
            let path = file.path(for: definition)
            let exists = FileManager.default.fileExists(atPath: workspace.root + "/" + path)
            guard exists || file.isRequired else { continue }
            let current = exists ? try workspace.readText(path) : nil
            let expected = try file.expected(definition, definitionPath: loaded.path, current: current)
            let state: ClusterWorkspace.EnvState
            if let current, let expected {
                state = EnvFile.firstDifference(expected: expected, actual: current).map {
                    .drifted(line: $0, expected: EnvFile.line($0, of: expected))
                } ?? .upToDate
            } else {
                state = .missing
            }
            entries.append(Entry(file: file, path: path, state: state, expected: expected))
        }
        return entries
    }

    /// The files that differ from the definition (or are missing), without writing.
    public func drift(_ loaded: LoadedClusterDefinition) throws -> [Entry] {
        try entries(loaded).filter { $0.state != .upToDate }
    }

    /// Writes every file that differs, each atomically; returns every entry with the state it
    /// had before (``ClusterWorkspace/EnvState/upToDate`` means it was left alone).
    @discardableResult
    public func write(_ loaded: LoadedClusterDefinition) throws -> [Entry] {
        let entries = try entries(loaded)
        for entry in entries where entry.state != .upToDate {
            guard let expected = entry.expected else { continue }
            try AtomicFile.write(expected, to: URL(fileURLWithPath: workspace.root).appendingPathComponent(entry.path))
        }
        return entries
    }

    /// One line per entry for people: `wrote PATH` or `PATH is up to date`.
    public static func report(_ entries: [Entry]) -> String {
        entries.map { $0.state == .upToDate ? "\($0.path) is up to date\n" : "wrote \($0.path)\n" }.joined()
    }

    /// `PATH:LINE: error: message` for each drifted entry (no line for a missing file).
    public static func driftReport(_ entries: [Entry], definitionPath: String) -> String {
        entries.compactMap { entry -> String? in
            guard let message = ClusterWorkspace.driftMessage(entry.state, envPath: entry.path, definitionPath: definitionPath,
                                                              file: entry.file) else { return nil }
            if case .drifted(let line, _) = entry.state { return "\(entry.path):\(line): error: \(message)\n" }
            return "error: \(message)\n"
        }.joined()
    }
}
