import HomeportCore
import Manifests

/// A field of a machine-config patch that the target release does not have.
public struct PatchFieldProblem: Sendable, Hashable {
    /// `.error` for a field no release has, `.warning` for one the release moved elsewhere.
    public var severity: Severity
    /// The dotted field path, prefixed with the document kind for multi-document patches
    /// (`machine.time.servers`, `KubeletConfig.extraArg`).
    public var field: String
    /// Where the field's key was written.
    public var mark: Mark
    public var message: String
    /// For a moved field: the documents that replace it in the target release.
    public var replacements: [String]
}

/// Checks that every field a patch sets exists in the target release's schema. Patches are
/// partial documents, so only the paths are checked, never what is missing.
public struct PatchFieldChecker: Sendable {
    public let schema: TalosConfigSchema

    public init(schema: TalosConfigSchema) {
        self.schema = schema
    }

    /// Older releases, newest first: read only when a field is missing, to tell moved from unknown.
    var older: [TalosConfigSchema] { TalosSchemaCatalog.schemas(before: schema.release) }

    /// The checker of a shipped release, or nil when homeport has no schema for it.
    public init?(release: TalosRelease) {
        guard let schema = TalosSchemaCatalog.schema(for: release) else { return nil }
        self.init(schema: schema)
    }

    /// Problems of one patch file's documents (strategic-merge documents or one list of RFC
    /// 6902 operations), in file order.
    public func check(_ documents: [YAMLNode]) -> [PatchFieldProblem] {
        var problems: [PatchFieldProblem] = []
        for document in documents {
            if let operations = document.sequence {
                problems += checkJSONPatch(operations)
                continue
            }
            guard let mapping = document.mapping else { continue }
            if mapping["version"] == nil, let kindNode = mapping["kind"], let kind = kindNode.string {
                guard let definition = schema.definition(forKind: kind) else {
                    problems.append(unknownKind(kind, at: kindNode.mark))
                    continue
                }
                walk(document, schema: definition, path: [], kind: kind, into: &problems)
            } else if let definition = schema.definition(forKind: nil) {
                walk(document, schema: definition, path: [], kind: nil, into: &problems)
            }
        }
        return problems
    }

    private func walk(_ node: YAMLNode, schema schemaNode: SchemaValue, path: [String], kind: String?, into problems: inout [PatchFieldProblem]) {
        switch node {
        case .mapping(let mapping):
            for entry in mapping.entries {
                guard let key = entry.key.string, key != "$patch" else { continue }
                switch schema.childSchemas(of: schemaNode, key: key) {
                case .schemas(let children):
                    walk(entry.value, schema: children[0], path: path + [key], kind: kind, into: &problems)
                case .anything:
                    continue
                case .unknown:
                    problems += missing(path + [key], value: entry.value, mark: entry.key.mark, kind: kind)
                }
            }
        case .sequence(let sequence):
            guard let items = schema.itemSchema(of: schemaNode) else { return }
            for item in sequence.items { walk(item, schema: items, path: path, kind: kind, into: &problems) }
        case .scalar:
            return
        }
    }

    /// A field the target lacks: moved (an older release has it) or unknown. A moved mapping
    /// is reported per field it sets, because its fields can go to different documents
    /// (`machine.kubelet.extraArgs` to KubeletConfig, `machine.kubelet.nodeIP` to KubeNodeConfig).
    private func missing(_ path: [String], value: YAMLNode, mark: Mark, kind: String?) -> [PatchFieldProblem] {
        guard let release = older.first(where: { $0.knows(path, kind: kind) })?.release else {
            let name = display(path, kind: kind)
            return [PatchFieldProblem(severity: .error, field: name, mark: mark,
                                      message: "\(name) is not a field of the Talos \(schema.release) config\(kind.map { " (\($0) document)" } ?? ""); check the spelling against the \(schema.release) reference",
                                      replacements: [])]
        }
        if kind == nil, let children = value.mapping?.entries, !children.isEmpty {
            return children.compactMap { child in
                guard let key = child.key.string, key != "$patch" else { return nil }
                return moved(path + [key], mark: child.key.mark, knownIn: release, kind: kind)
            }
        }
        return [moved(path, mark: mark, knownIn: release, kind: kind)]
    }

    private func moved(_ path: [String], mark: Mark, knownIn release: TalosRelease, kind: String?) -> PatchFieldProblem {
        let name = display(path, kind: kind)
        let replacements = kind == nil ? FieldMigrations.replacements(for: path, in: schema) : []
        let target = replacements.isEmpty
            ? "it has no direct replacement; see the \(schema.release) configuration reference"
            : "set it in \(Self.article(replacements[0])) \(Self.list(replacements)) document instead"
        return PatchFieldProblem(severity: .warning, field: name, mark: mark,
                                 message: "\(name) was part of the Talos \(release) config but Talos \(schema.release) moved it out; \(target)",
                                 replacements: replacements)
    }

    private func unknownKind(_ kind: String, at mark: Mark) -> PatchFieldProblem {
        let older = older.first { $0.definition(forKind: kind) != nil }
        let message = older.map { "Talos \(schema.release) has no \(kind) document (Talos \($0.release) had one)" }
            ?? "Talos \(schema.release) has no \(kind) document; the kinds it knows are listed in its configuration reference"
        return PatchFieldProblem(severity: .error, field: kind, mark: mark, message: message, replacements: [])
    }

    /// RFC 6902 operations target the v1alpha1 document: `/machine/time/servers/-`.
    private func checkJSONPatch(_ operations: YAMLSequence) -> [PatchFieldProblem] {
        guard let definition = schema.definition(forKind: nil) else { return [] }
        var problems: [PatchFieldProblem] = []
        for operation in operations.items {
            guard let pointerNode = operation["path"], let pointer = pointerNode.string else { continue }
            let tokens = pointer.split(separator: "/").map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
            var current: SchemaValue? = definition
            var path: [String] = []
            for token in tokens {
                guard let node = current else { break }
                if token == "-" || Int(token) != nil {
                    current = schema.itemSchema(of: node)
                    continue
                }
                path.append(token)
                switch schema.childSchemas(of: node, key: token) {
                case .schemas(let children): current = children[0]
                case .anything: current = nil
                case .unknown:
                    let value = operation["value"] ?? .scalar(YAMLScalar(value: ""))
                    problems += missing(path, value: value, mark: pointerNode.mark, kind: nil)
                    current = nil
                }
                if current == nil { break }
            }
        }
        return problems
    }

    private func display(_ path: [String], kind: String?) -> String {
        ([kind].compactMap { $0 } + path).joined(separator: ".")
    }

    /// "an UnattendedInstallConfig", "a UserVolumeConfig".
    static func article(_ word: String) -> String {
        "AEIO".contains(word.first ?? "x") || word.hasPrefix("Un") ? "an" : "a"
    }

    static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }
}

extension TalosConfigSchema {
    /// Whether a field path exists in a document of this release (the v1alpha1 config for
    /// `kind == nil`); list items are looked through.
    public func knows(_ path: [String], kind: String?) -> Bool {
        guard var current = definition(forKind: kind) else { return false }
        for key in path {
            while resolved(current)["type"]?.stringValue == "array", let items = itemSchema(of: current) { current = items }
            switch childSchemas(of: current, key: key) {
            case .schemas(let children): current = children[0]
            case .anything: return true
            case .unknown: return false
            }
        }
        return true
    }
}
