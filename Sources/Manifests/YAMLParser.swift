import Yams

/// Why a YAML stream could not be parsed, and where.
public struct YAMLParseError: Error, Sendable, Hashable {
    public var message: String
    public var mark: Mark?

    public init(message: String, mark: Mark?) {
        self.message = message
        self.mark = mark
    }
}

/// The documents of one YAML stream. Documents before a syntax error are kept, so a broken
/// last document does not hide the others.
public struct YAMLStream: Sendable {
    public var documents: [YAMLNode]
    public var error: YAMLParseError?

    public init(documents: [YAMLNode], error: YAMLParseError?) {
        self.documents = documents
        self.error = error
    }
}

/// Parses YAML text into ``YAMLNode`` trees. Uses the basic resolver (no regular expressions
/// per scalar) and resolves scalar types itself; refuses alias bombs by counting nodes.
public enum YAMLParser {
    /// More nodes than this in one document (after aliases are expanded) is treated as an
    /// attack, not a manifest: a real Kubernetes document has a few thousand.
    public static let nodeBudget = 1_000_000

    /// Parses every document of `text`. Never throws: problems are in ``YAMLStream/error``.
    public static func parse(_ text: String) -> YAMLStream {
        var documents: [YAMLNode] = []
        do {
            // An explicit encoding: the default one reads the process environment on every call.
            var stream = try Yams.compose_all(yaml: text, .basic, .default, .utf8)
            while let node = stream.next() {
                var budget = nodeBudget
                documents.append(try convert(node, budget: &budget))
            }
            if let error = stream.error { throw error }
            return YAMLStream(documents: documents, error: nil)
        } catch let error as YAMLParseError {
            return YAMLStream(documents: documents, error: error)
        } catch let error as YamlError {
            return YAMLStream(documents: documents, error: describe(error))
        } catch {
            return YAMLStream(documents: documents, error: YAMLParseError(message: "cannot parse YAML", mark: nil))
        }
    }

    /// Parses a stream that must hold exactly one document (configuration files).
    public static func parseSingle(_ text: String) -> Result<YAMLNode?, YAMLParseError> {
        let stream = parse(text)
        if let error = stream.error { return .failure(error) }
        if stream.documents.count > 1 {
            return .failure(YAMLParseError(message: "expected one YAML document, found \(stream.documents.count)", mark: stream.documents[1].mark))
        }
        return .success(stream.documents.first)
    }

    private static func convert(_ node: Node, budget: inout Int) throws -> YAMLNode {
        budget -= 1
        if budget < 0 {
            throw YAMLParseError(
                message: "document expands to more than \(nodeBudget) nodes through aliases; refusing to read it",
                mark: node.mark.map(mark))
        }
        let position = node.mark.map(mark) ?? Mark(line: 0, column: 0)
        switch node {
        case .scalar(let scalar):
            let value = scalar.style == .folded ? GoYAMLFolding.adjust(scalar.string) : scalar.string
            return .scalar(YAMLScalar(value: value, style: style(scalar.style),
                                      tag: explicitTag(scalar.tag), mark: position))
        case .mapping(let mapping):
            var entries: [YAMLMapping.Entry] = []
            entries.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                entries.append(.init(key: try convert(key, budget: &budget), value: try convert(value, budget: &budget)))
            }
            return .mapping(YAMLMapping(entries: entries, tag: explicitTag(mapping.tag),
                                        isFlow: mapping.style == .flow, mark: position))
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(try convert(item, budget: &budget))
            }
            return .sequence(YAMLSequence(items: items, tag: explicitTag(sequence.tag),
                                          isFlow: sequence.style == .flow, mark: position))
        case .alias(let alias):
            throw YAMLParseError(message: "unresolved alias", mark: alias.mark.map(mark))
        }
    }

    private static func mark(_ mark: Yams.Mark) -> Mark {
        Mark(line: mark.line, column: mark.column)
    }

    // The basic resolver reports every untagged node as str/seq/map: treat those as untagged.
    private static func explicitTag(_ tag: Tag) -> String? {
        let name = tag.rawValue
        switch name {
        case "", "?", "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map": return nil
        default: return name
        }
    }

    private static func style(_ style: Node.Scalar.Style) -> YAMLScalar.Style {
        switch style {
        case .singleQuoted: .singleQuoted
        case .doubleQuoted: .doubleQuoted
        case .literal: .literal
        case .folded: .folded
        default: .plain
        }
    }

    // Yams' own descriptions quote the offending line, which may hold a secret: build the
    // message from the problem and the mark only.
    private static func describe(_ error: YamlError) -> YAMLParseError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text): " } ?? ""
            return YAMLParseError(message: "\(prefix)\(problem)", mark: Mark(line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return YAMLParseError(message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping",
                                  mark: Mark(line: context.mark.line, column: context.mark.column))
        case .reader(let problem, _, _, _):
            return YAMLParseError(message: "cannot read the text: \(problem)", mark: nil)
        case .memory:
            return YAMLParseError(message: "out of memory while parsing", mark: nil)
        default:
            return YAMLParseError(message: "cannot parse YAML", mark: nil)
        }
    }
}
