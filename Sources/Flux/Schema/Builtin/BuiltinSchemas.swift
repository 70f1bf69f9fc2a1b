import Foundation

/// The JSON schemas carried inside the binary (``BuiltinSchemaData``, made by
/// scripts/gen-schemas.py): every Kubernetes kind of a few minors and a catalog of CRDs. Only
/// the chunks a check asks for are decoded and inflated, once per process.
public enum BuiltinSchemas {
    /// The Kubernetes minors with built-in schemas, oldest first.
    public static var kubernetesMinors: [Int] { BuiltinSchemaData.kubernetesMinors }

    /// The built-in minor used for a cluster.
    public struct KubernetesChoice: Sendable, Equatable {
        /// The built-in minor whose schemas are used.
        public var minor: Int
        /// Why it differs from what was asked, or nil when the cluster's own minor is built in.
        public var substitution: String?
    }

    /// The minor for a version such as `1.36.3` or `v1.33.0`: the same minor when it is built
    /// in, else the nearest (and a sentence saying so); without a version, the newest.
    public static func kubernetesChoice(for version: String?) -> KubernetesChoice {
        let minors = kubernetesMinors
        let newest = minors.max() ?? 0
        guard let version else { return KubernetesChoice(minor: newest) }
        let parts = version.trimmingCharacters(in: .whitespaces).drop { $0 == "v" }.split(separator: ".")
        let built = minors.map { "1.\($0)" }.joined(separator: ", ")
        guard parts.count >= 2, parts[0] == "1", let wanted = Int(parts[1]) else {
            return KubernetesChoice(minor: newest, substitution: "Kubernetes version '\(version)' is not a 1.x version; validated against 1.\(newest), the newest built-in minor (\(built))")
        }
        if minors.contains(wanted) { return KubernetesChoice(minor: wanted) }
        let nearest = minors.min { abs($0 - wanted) < abs($1 - wanted) || (abs($0 - wanted) == abs($1 - wanted) && $0 > $1) } ?? newest
        return KubernetesChoice(minor: nearest, substitution: "Kubernetes 1.\(wanted) has no built-in schemas; validated against 1.\(nearest), the nearest built-in minor (\(built))")
    }

    /// The schema of a Kubernetes kind at a built-in minor, with the definitions it refers to.
    static func kubernetesKind(_ key: String, minor: Int) -> (JSONSchema, DefinitionTable)? {
        guard let chunk = try? BuiltinSchemaStore.shared.chunk(named: "k8s/\(minor)"),
              let schema = try? chunk.schema("kind/" + key) else { return nil }
        return (schema, DefinitionTable(chunk: chunk))
    }

    /// The schema of a custom resource from the built-in catalog snapshot.
    static func customResource(group: String, version: String, kind: String) -> JSONSchema? {
        guard let chunk = try? BuiltinSchemaStore.shared.chunk(named: "crd/\(group)/\(version)/\(kind.lowercased())") else { return nil }
        return try? chunk.schema("schema")
    }
}

/// Decodes the index once and each chunk on first use, shared by every check in the process.
final class BuiltinSchemaStore: @unchecked Sendable {
    static let shared = BuiltinSchemaStore()

    private let lock = NSLock()
    private var index: SchemaChunk?
    private var chunkRanges: [(offset: Int, length: Int)] = []
    private var chunks: [Int: SchemaChunk] = [:]

    /// Every chunk name in the index (tests decode them all).
    func chunkNames() throws(SchemaChunk.Corrupt) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return try loadIndex().entryNames.filter { $0 != "chunks" }
    }

    /// The chunk stored under `name` ("k8s/37", "crd/group/version/kind"), or nil when there is none.
    func chunk(named name: String) throws(SchemaChunk.Corrupt) -> SchemaChunk? {
        lock.lock()
        defer { lock.unlock() }
        let index = try loadIndex()
        guard let payload = index.payload(name) else { return nil }
        var cursor = ByteCursor(bytes: Array(payload), position: 0)
        let number = try cursor.varint()
        if let chunk = chunks[number] { return chunk }
        guard number < chunkRanges.count else { throw SchemaChunk.Corrupt(description: "chunk \(number) of '\(name)' is not in the table") }
        let range = chunkRanges[number]
        let chunk = try Self.inflate(offset: BuiltinSchemaData.indexCharacterCount + range.offset, length: range.length)
        chunks[number] = chunk
        return chunk
    }

    private func loadIndex() throws(SchemaChunk.Corrupt) -> SchemaChunk {
        if let index { return index }
        let index = try Self.inflate(offset: 0, length: BuiltinSchemaData.indexCharacterCount)
        guard let table = index.payload("chunks") else { throw SchemaChunk.Corrupt(description: "the index has no chunk table") }
        var cursor = ByteCursor(bytes: Array(table), position: 0)
        var ranges: [(offset: Int, length: Int)] = []
        for _ in 0..<(try cursor.varint()) { ranges.append((try cursor.varint(), try cursor.varint())) }
        chunkRanges = ranges
        self.index = index
        return index
    }

    /// Base64-decodes and inflates `length` characters starting `offset` characters into the
    /// data (line breaks not counted).
    private static func inflate(offset: Int, length: Int) throws(SchemaChunk.Corrupt) -> SchemaChunk {
        guard offset >= 0, length > 0, offset + length <= BuiltinSchemaData.characterCount else {
            throw SchemaChunk.Corrupt(description: "chunk at \(offset)+\(length) is outside the data")
        }
        let compressed = BuiltinSchemaData.text.withUTF8Buffer { text in
            Base64Text.decode(text, from: offset, count: length, lineLength: BuiltinSchemaData.lineLength)
        }
        guard let compressed else { throw SchemaChunk.Corrupt(description: "chunk at \(offset) is not base64") }
        let bytes: [UInt8]
        do {
            bytes = try Inflate.zlib(compressed)
        } catch {
            throw SchemaChunk.Corrupt(description: "chunk at \(offset): \(error)")
        }
        return try SchemaChunk(bytes: bytes)
    }
}

/// Base64 in a text broken into lines of a fixed length.
enum Base64Text {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    /// Decodes `count` base64 characters starting at character `offset` (each full line of
    /// `lineLength` characters is followed by one line break); nil on a character outside base64.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, from offset: Int, count: Int, lineLength: Int) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(count / 4 * 3)
        var position = offset + offset / lineLength
        var quad: UInt32 = 0
        var filled = 0
        var padding = 0
        var consumed = 0
        while consumed < count, position < text.count {
            let character = text[position]
            position += 1
            if character == UInt8(ascii: "\n") { continue }
            consumed += 1
            var value = values[Int(character)]
            if character == UInt8(ascii: "=") {
                value = 0
                padding += 1
            } else if value == 0xFF || padding > 0 {
                return nil
            }
            quad = quad << 6 | UInt32(value)
            filled += 1
            if filled == 4 {
                output.append(UInt8(quad >> 16 & 0xFF))
                if padding < 2 { output.append(UInt8(quad >> 8 & 0xFF)) }
                if padding < 1 { output.append(UInt8(quad & 0xFF)) }
                quad = 0
                filled = 0
            }
        }
        return consumed == count && filled == 0 ? output : nil
    }
}
