import Manifests

/// What the structure of a file says about its encryption, without any key: whether it
/// carries sops metadata, and which values its rule wants encrypted but are plain. The
/// rules of `homeport check` and `homeport secrets status` read this.
public struct SOPSFileStatus: Sendable {
    /// A value that should be encrypted but is not: its key path and line. Never its value.
    public struct PlainValue: Sendable, Hashable {
        public var path: [String]
        public var line: Int?
        /// True when the value only refers to a secret kept elsewhere (`op://…`, `${VAR}`).
        public var isReference: Bool
    }

    public var kind: SOPSStoreKind
    /// The parsed metadata, when the file has a usable `sops` block.
    public var metadata: SOPSMetadata?
    /// Why the `sops` block is unusable, when it exists but is broken.
    public var metadataProblem: String?
    /// Line of the `sops` key (YAML/JSON) or of the first `sops_`/`[sops]` line.
    public var metadataLine: Int?
    /// The data branches as read.
    public var documents: [SOPSNode]

    /// True when the file has a `sops` block with a MAC.
    public var isEncrypted: Bool { metadata != nil }

    /// True when the file looks like sops output at all (even with a broken block).
    public var hasSOPSBlock: Bool { metadata != nil || metadataProblem != nil }

    /// Reads a file's text. `stream` may be passed when the YAML is already parsed.
    public static func inspect(path: String, text: String, stream: YAMLStream? = nil) throws -> SOPSFileStatus {
        let kind = SOPSStoreKind.forPath(path)
        let parsed: SOPSParsedFile
        if kind == .yaml {
            let documents: [SOPSNode]
            do {
                documents = try YAMLDocumentReader.read(stream: stream ?? YAMLParser.parse(text), text: text)
            } catch let error as YAMLDocumentReader.ReadError {
                throw SOPSStore.StoreError(error.message, line: error.line)
            }
            parsed = SOPSParsedFile(kind: .yaml, documents: documents.map { $0.removing("sops") },
                                    metadataNode: documents.lazy.compactMap { $0["sops"] }.first)
            var status = SOPSFileStatus(kind: kind, metadata: nil, metadataProblem: nil, metadataLine: nil, documents: parsed.documents)
            status.metadataLine = documents.lazy.compactMap { $0.line(of: "sops") }.first
            status.readMetadata(parsed.metadataNode)
            return status
        }
        if kind == .binary {
            // Only a JSON envelope can be a sops binary file.
            guard text.hasPrefix("{"), let envelope = try? SOPSStore.parse(text, kind: .json) else {
                return SOPSFileStatus(kind: kind, metadata: nil, metadataProblem: nil, metadataLine: nil, documents: [])
            }
            parsed = envelope
        } else {
            parsed = try SOPSStore.parse(text, kind: kind)
        }
        var status = SOPSFileStatus(kind: kind, metadata: nil, metadataProblem: nil, metadataLine: nil, documents: parsed.documents)
        status.metadataLine = Self.metadataLine(text, kind: kind)
        status.readMetadata(parsed.metadataNode)
        return status
    }

    private mutating func readMetadata(_ node: SOPSNode?) {
        guard let node else { return }
        do { metadata = try SOPSMetadata(node: node) } catch {
            metadataProblem = "\(error)"
        }
    }

    private static func metadataLine(_ text: String, kind: SOPSStoreKind) -> Int? {
        let needle: String
        switch kind {
        case .dotenv: needle = "sops_"
        case .ini: needle = "[sops]"
        default: needle = "\"sops\""
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.trimmingCharacters(in: .whitespaces).hasPrefix(needle) {
            return index + 1
        }
        return nil
    }

    /// Values `selection` says are encrypted that are plain text (not `ENC[…]`). Empty
    /// strings and nulls are left alone, as sops leaves them. With `macOnlyEncrypted` the
    /// same selection applies.
    public func plainValues(selection: EncryptionSelection) -> [PlainValue] {
        var result: [PlainValue] = []
        for document in documents {
            Self.collect(document, path: [], line: nil, selection: selection, into: &result)
        }
        return result
    }

    private static func collect(_ node: SOPSNode, path: [String], line: Int?, selection: EncryptionSelection,
                                into result: inout [PlainValue]) {
        switch node {
        case .mapping(let items):
            for case .entry(let key, let value, let entryLine) in items {
                collect(value, path: path + [key], line: entryLine ?? line, selection: selection, into: &result)
            }
        case .sequence(let items):
            for item in items { collect(item, path: path, line: line, selection: selection, into: &result) }
        case .scalar(let scalar):
            guard let text = scalar.plaintext, !text.isEmpty else { return }
            if case .string(let string) = scalar, EncryptedValue.looksEncrypted(string) { return }
            if selection.shouldEncrypt(path: path) {
                result.append(PlainValue(path: path, line: line, isReference: SecretReference.isReference(text)))
            }
        case .comment:
            break
        }
    }
}
