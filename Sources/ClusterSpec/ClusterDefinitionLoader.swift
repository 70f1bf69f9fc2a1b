import HomeportCore
import Manifests

/// A problem in a cluster definition, with the place of the offending value.
public struct ClusterDefinitionIssue: Sendable, Hashable {
    /// What kind of problem: the file cannot be parsed at all, or the definition in it is wrong.
    public enum Kind: Sendable, Hashable {
        /// The YAML does not parse or the file is not text (`k8s.parse` reports these for the checker).
        case syntax
        /// The definition is wrong: a type, a key, a value, or how values fit together.
        case definition
    }

    public var message: String
    public var mark: Mark?
    public var kind: Kind
    /// `error` makes the definition unusable; `warning` is advice (a layout that loses etcd
    /// quorum with one host, a passthrough that may lack its driver).
    public var severity: Severity

    public init(_ message: String, at mark: Mark?, kind: Kind = .definition, severity: Severity = .error) {
        self.message = message
        self.mark = mark
        self.kind = kind
        self.severity = severity
    }

    /// `path:line:col: error: message`, the form compilers and editors understand.
    public func formatted(path: String) -> String {
        let location = SourceLocation(path: path, line: mark?.line, column: mark?.column)
        return "\(location.description): \(severity.rawValue): \(message)"
    }
}

/// A cluster definition file, loaded and validated: the definition when it could be read,
/// and every problem found. Act on the definition only when ``isValid``.
public struct LoadedClusterDefinition: Sendable {
    public var path: String
    /// Nil when a required value is missing or any value is unusable.
    public var definition: ClusterDefinition?
    /// Every problem, in file order.
    public var issues: [ClusterDefinitionIssue]
    /// Advice that does not make the definition invalid, in file order.
    public var warnings: [ClusterDefinitionIssue]

    public init(path: String, definition: ClusterDefinition?, issues: [ClusterDefinitionIssue], warnings: [ClusterDefinitionIssue] = []) {
        self.path = path
        self.definition = definition
        self.issues = issues
        self.warnings = warnings
    }

    /// True when the definition was read and has no issue.
    public var isValid: Bool { definition != nil && issues.isEmpty }

    /// The file name without `.yaml`/`.yml`: what `--cluster` selects and what the env file is named after.
    public var clusterName: String { ClusterDefinitionLoader.baseName(of: path) }

    /// The definition, or an error listing every issue.
    public func validDefinition() throws -> ClusterDefinition {
        guard let definition, issues.isEmpty else {
            let lines = issues.map { $0.formatted(path: path) }
            let summary = issues.isEmpty ? "\(path): the cluster definition is incomplete" : lines.joined(separator: "\n")
            throw HomeportError("\(summary)\n\(path) has \(max(1, issues.count)) problem(s); fix them first (`homeport cluster validate`)")
        }
        return definition
    }
}

/// Reads `config/clusters/NAME.yaml` files: decodes the YAML tree with marks, then validates.
public enum ClusterDefinitionLoader {
    /// The folder holding cluster definitions, relative to the repository root.
    public static let folder = "config/clusters"

    public static func load(_ file: RepoFile) -> LoadedClusterDefinition {
        let path = file.path
        func unusable(_ message: String, kind: ClusterDefinitionIssue.Kind, at mark: Mark? = nil) -> LoadedClusterDefinition {
            LoadedClusterDefinition(path: path, definition: nil, issues: [ClusterDefinitionIssue(message, at: mark, kind: kind)])
        }
        switch file.content {
        case .binary: return unusable("\(file.name) holds binary data, not a cluster definition", kind: .syntax)
        case .notUTF8: return unusable("\(file.name) is not valid UTF-8", kind: .syntax)
        case .tooLarge(let size): return unusable("\(file.name) is too large to be a cluster definition (\(size) bytes)", kind: .definition)
        case .unreadable(let reason): return unusable("\(file.name) cannot be read: \(reason)", kind: .definition)
        case .text: break
        }
        let stream = file.yaml ?? YAMLParser.parse(file.text ?? "")
        if let error = stream.error {
            return unusable("YAML does not parse: \(error.message)", kind: .syntax, at: error.mark)
        }
        guard let root = stream.documents.first, !DecodingState.isEmpty(root) else {
            return unusable("\(file.name) is empty; a cluster definition starts with name:, proxmox:, network:, talos:, nodes: and flux:",
                            kind: .definition, at: Mark(line: 1, column: 1))
        }
        let state = DecodingState()
        if stream.documents.count > 1 {
            state.report("\(file.name) holds \(stream.documents.count) YAML documents; a cluster definition is one document (one file per cluster)",
                         at: stream.documents[1].mark)
        }
        let draft = ClusterDefinitionDecoder.decode(root, state: state)
        let crossFieldIssues = ClusterDefinitionValidator.validate(draft, marks: state.marks, fileBaseName: baseName(of: path))
        let issues = sortedByPlace(state.issues + crossFieldIssues.filter { $0.severity == .error })
        let warnings = sortedByPlace(crossFieldIssues.filter { $0.severity != .error })
        let definition = state.isComplete ? draft.build(marks: state.marks) : nil
        return LoadedClusterDefinition(path: path, definition: definition, issues: issues, warnings: warnings)
    }

    /// Loads a definition from text, as if it were the file at `path` (for commands and tests).
    public static func load(text: String, path: String) -> LoadedClusterDefinition {
        load(RepoScanner.makeFile(path: path, size: text.utf8.count, isExecutable: false, content: .text(text)))
    }

    /// `config/clusters/prox-n100.yaml` → `prox-n100`.
    public static func baseName(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    private static func sortedByPlace(_ issues: [ClusterDefinitionIssue]) -> [ClusterDefinitionIssue] {
        issues.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.mark?.line ?? 0, lhs.element.mark?.column ?? 0, lhs.offset)
            let right = (rhs.element.mark?.line ?? 0, rhs.element.mark?.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
    }
}
