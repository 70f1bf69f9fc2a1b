import Foundation

/// One inflated chunk of the built-in schema data: a string table and named entries whose
/// nodes are decoded on first use (scripts/gen-schemas.py documents the format).
final class SchemaChunk: @unchecked Sendable {
    /// Why built-in data could not be read; the data is generated, so this is a bug in the
    /// generator or the decoder, and tests decode every chunk to catch it.
    struct Corrupt: Error, CustomStringConvertible {
        var description: String
    }

    private let bytes: [UInt8]
    private let strings: [String]
    private let entries: [String: Range<Int>]
    private var decoded: [String: JSONSchema] = [:]
    private let lock = NSLock()

    init(bytes: [UInt8]) throws(Corrupt) {
        self.bytes = bytes
        var cursor = ByteCursor(bytes: bytes, position: 0)
        let stringCount = try cursor.varint()
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            let length = try cursor.varint()
            let range = try cursor.skip(length)
            strings.append(String(decoding: bytes[range], as: UTF8.self))
        }
        self.strings = strings
        var entries: [String: Range<Int>] = [:]
        let entryCount = try cursor.varint()
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount {
            let name = try cursor.varint()
            guard name < strings.count else { throw Corrupt(description: "entry name \(name) outside the string table") }
            entries[strings[name]] = try cursor.skip(try cursor.varint())
        }
        guard cursor.position == bytes.count else { throw Corrupt(description: "\(bytes.count - cursor.position) bytes after the last entry") }
        self.entries = entries
    }

    /// Every entry name (tests decode them all).
    var entryNames: [String] { Array(entries.keys) }

    /// The raw bytes of an entry (the index stores chunk numbers this way).
    func payload(_ name: String) -> ArraySlice<UInt8>? {
        entries[name].map { bytes[$0] }
    }

    /// The schema stored under `name`, decoded once.
    func schema(_ name: String) throws(Corrupt) -> JSONSchema? {
        lock.lock()
        defer { lock.unlock() }
        if let schema = decoded[name] { return schema }
        guard let range = entries[name] else { return nil }
        var cursor = ByteCursor(bytes: bytes, position: range.lowerBound)
        let schema = try node(&cursor)
        guard cursor.position == range.upperBound else { throw Corrupt(description: "entry '\(name)' has trailing bytes") }
        decoded[name] = schema
        return schema
    }

    private static let typeNames: [(UInt8, String)] = [
        (1, "object"), (2, "array"), (4, "string"), (8, "integer"), (16, "number"), (32, "boolean"), (64, "null"),
    ]

    private func string(_ cursor: inout ByteCursor) throws(Corrupt) -> String {
        let index = try cursor.varint()
        guard index < strings.count else { throw Corrupt(description: "string \(index) outside the table") }
        return strings[index]
    }

    private func node(_ cursor: inout ByteCursor) throws(Corrupt) -> JSONSchema {
        let flags = try cursor.varint()
        func has(_ flag: Int) -> Bool { flags & flag != 0 }
        var types: Set<String>?
        if has(1) {
            let bits = try cursor.byte()
            types = Set(Self.typeNames.filter { bits & $0.0 != 0 }.map(\.1))
        }
        let reference = has(2) ? try string(&cursor) : nil
        var properties: [String: JSONSchema] = [:]
        if has(4) {
            let count = try cursor.varint()
            properties.reserveCapacity(count)
            for _ in 0..<count {
                let key = try string(&cursor)
                properties[key] = try node(&cursor)
            }
        }
        var additional = JSONSchema.Additional.allowed
        if has(8) { additional = .forbidden }
        if has(16) { additional = .schema(try node(&cursor)) }
        var required: [String] = []
        if has(32) { for _ in 0..<(try cursor.varint()) { required.append(try string(&cursor)) } }
        let items = has(64) ? try node(&cursor) : nil
        var enumValues: [String]?
        if has(128) {
            var values: [String] = []
            for _ in 0..<(try cursor.varint()) { values.append(try string(&cursor)) }
            enumValues = values
        }
        var alternatives: [[JSONSchema]] = []
        for flag in [256, 512, 1024] {
            var list: [JSONSchema] = []
            if has(flag) { for _ in 0..<(try cursor.varint()) { list.append(try node(&cursor)) } }
            alternatives.append(list)
        }
        return JSONSchema(types: types, properties: properties, additional: additional, required: required, items: items,
                          enumValues: enumValues, anyOf: alternatives[0], oneOf: alternatives[1], allOf: alternatives[2],
                          reference: reference, intOrString: has(2048), preserveUnknown: has(4096))
    }
}

/// Reads LEB128 varints and byte ranges, failing rather than reading past the end.
struct ByteCursor {
    let bytes: [UInt8]
    var position: Int

    mutating func byte() throws(SchemaChunk.Corrupt) -> UInt8 {
        guard position < bytes.count else { throw SchemaChunk.Corrupt(description: "unexpected end of chunk") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(SchemaChunk.Corrupt) -> Int {
        var value = 0
        var shift = 0
        while true {
            let next = try byte()
            value |= Int(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
            guard shift < 63 else { throw SchemaChunk.Corrupt(description: "varint too long") }
        }
    }

    mutating func skip(_ length: Int) throws(SchemaChunk.Corrupt) -> Range<Int> {
        guard length >= 0, position + length <= bytes.count else { throw SchemaChunk.Corrupt(description: "length \(length) past the end of the chunk") }
        defer { position += length }
        return position..<(position + length)
    }
}
