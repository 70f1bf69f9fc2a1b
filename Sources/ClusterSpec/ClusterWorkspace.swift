import Foundation
import HomeportCore
import Manifests

/// The cluster definitions of a repository on disk, for `homeport cluster …` and the commands
/// that act on one cluster: choosing the cluster (`--cluster`), loading it, and keeping its
/// env file in step.
public struct ClusterWorkspace: Sendable {
    /// The repository root.
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The repo-relative paths of every cluster definition, sorted.
    public func definitionPaths() -> [String] {
        let folder = root + "/" + ClusterDefinitionLoader.folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }
            .sorted()
            .map { "\(ClusterDefinitionLoader.folder)/\($0)" }
    }

    /// The definition `--cluster NAME` means; without a name, the only one there is.
    /// Throws a usage error naming the choices when that is ambiguous or wrong.
    public func selectDefinition(named name: String?) throws -> String {
        let paths = definitionPaths()
        let choices = paths.map(ClusterDefinitionLoader.baseName(of:))
        guard !paths.isEmpty else {
            throw HomeportError.usage("no cluster definition in \(ClusterDefinitionLoader.folder)/ of \(root); write one (see config/clusters/README.md) or run `homeport init`")
        }
        guard let name else {
            guard paths.count == 1 else {
                throw HomeportError.usage("\(ClusterDefinitionLoader.folder)/ holds several clusters (\(choices.joined(separator: ", "))); choose one with --cluster NAME")
            }
            return paths[0]
        }
        guard let index = choices.firstIndex(of: name) else {
            throw HomeportError.usage("no cluster '\(name)' in \(ClusterDefinitionLoader.folder)/; the clusters are \(choices.joined(separator: ", "))")
        }
        return paths[index]
    }

    /// Loads and validates one definition file.
    public func load(_ path: String) throws -> LoadedClusterDefinition {
        ClusterDefinitionLoader.load(try readFile(path))
    }

    /// Loads the definition `--cluster` selects.
    public func load(named name: String?) throws -> LoadedClusterDefinition {
        try load(selectDefinition(named: name))
    }

    // MARK: env files

    /// How the env file on disk compares with what the definition derives.
    public enum EnvState: Sendable, Equatable {
        case upToDate
        case missing
        /// Differs first at this 1-based line; `expected` is the line the definition derives.
        case drifted(line: Int, expected: String?)
    }

    /// What a derived file of a valid definition should hold (the env file by default). A
    /// file edited in place (the FluxInstance sync, the NAS runbook) derives from its text on
    /// disk; when it does not exist there is nothing to derive, and this throws.
    public func renderEnv(_ loaded: LoadedClusterDefinition, _ file: DerivedFile = .env) throws -> String {
        guard let expected = try expectedText(loaded, file) else {
            let path = try derivedPath(loaded, file)
            throw HomeportError("\(path) does not exist; homeport edits the values the definition decides in it, but does not write it from nothing",
                                at: SourceLocation(path: path))
        }
        return expected
    }

    /// What a derived file should hold; nil for a file edited in place that does not exist.
    public func expectedText(_ loaded: LoadedClusterDefinition, _ file: DerivedFile) throws -> String? {
        let definition = try loaded.validDefinition()
        let path = file.path(for: definition)
        let current = FileManager.default.fileExists(atPath: root + "/" + path) ? try readText(path) : nil
        return try file.expected(definition, definitionPath: loaded.path, current: current)
    }

    /// Where a derived file of a valid definition lives.
    public func derivedPath(_ loaded: LoadedClusterDefinition, _ file: DerivedFile = .env) throws -> String {
        file.path(for: try loaded.validDefinition())
    }

    /// Compares a derived file on disk (`config/env/NAME.env` by default) with what the
    /// definition derives.
    public func envState(_ loaded: LoadedClusterDefinition, _ file: DerivedFile = .env) throws -> EnvState {
        let path = try derivedPath(loaded, file)
        guard FileManager.default.fileExists(atPath: root + "/" + path) else { return .missing }
        let expected = try renderEnv(loaded, file)
        let actual = try readText(path)
        guard let line = EnvFile.firstDifference(expected: expected, actual: actual) else { return .upToDate }
        return .drifted(line: line, expected: EnvFile.line(line, of: expected))
    }

    /// Writes a derived file (`config/env/NAME.env` by default) atomically; returns the path
    /// and whether it changed.
    @discardableResult
    public func writeEnv(_ loaded: LoadedClusterDefinition, _ file: DerivedFile = .env) throws -> (path: String, changed: Bool) {
        let expected = try renderEnv(loaded, file)
        let path = try derivedPath(loaded, file)
        if let current = try? readText(path), current == expected { return (path, false) }
        try AtomicFile.write(expected, to: URL(fileURLWithPath: root).appendingPathComponent(path))
        return (path, true)
    }

    /// The drift message for `env --check` and `config.env-drift`.
    public static func driftMessage(_ state: EnvState, envPath: String, definitionPath: String, file: DerivedFile = .env) -> String? {
        switch state {
        case .upToDate:
            return nil
        case .missing:
            return "\(envPath) does not exist; it derives from \(definitionPath): run `\(file.writeCommand)`"
        case .drifted(_, let expected):
            let hint = expected.map { $0.isEmpty ? " (expected an empty line)" : " (expected `\($0)`)" } ?? " (expected the end of the file)"
            return "\(envPath) differs from what \(definitionPath) derives\(hint); run `\(file.writeCommand)`"
        }
    }

    // MARK: reading

    private func readFile(_ path: String) throws -> RepoFile {
        let fullPath = root + "/" + path
        guard let data = FileManager.default.contents(atPath: fullPath) else {
            throw HomeportError("cannot read \(path)", at: SourceLocation(path: path))
        }
        return RepoScanner.makeFile(path: path, size: data.count, isExecutable: false, content: RepoScanner.decode(data))
    }

    func readText(_ path: String) throws -> String {
        let file = try readFile(path)
        guard let text = file.text else { throw HomeportError("\(path) is not UTF-8 text", at: SourceLocation(path: path)) }
        return text
    }
}
