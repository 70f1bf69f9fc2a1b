/// A zlib (RFC 1950) / DEFLATE (RFC 1951) decoder for the built-in schema data: Foundation on
/// Linux has no zlib, and a decoder this size is cheaper than a dependency. Table-driven Huffman
/// decoding keeps a 150 KB chunk to about a millisecond in a release build.
public enum Inflate {
    /// Why a stream could not be decoded.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case badZlibHeader
        case truncated
        case badBlockType
        case storedLengthMismatch
        case badCodeLengths
        case badSymbol
        case distanceTooFar
        case checksumMismatch

        public var description: String {
            switch self {
            case .badZlibHeader: "not a zlib stream (bad header)"
            case .truncated: "the compressed stream ends early"
            case .badBlockType: "invalid DEFLATE block type"
            case .storedLengthMismatch: "stored block length does not match its complement"
            case .badCodeLengths: "invalid Huffman code lengths"
            case .badSymbol: "invalid Huffman code in the data"
            case .distanceTooFar: "a back-reference points before the start of the output"
            case .checksumMismatch: "Adler-32 checksum mismatch"
            }
        }
    }

    /// Decodes a zlib stream and verifies its Adler-32 checksum.
    public static func zlib(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        guard input.count >= 6 else { throw .truncated }
        let method = input[0], flags = input[1]
        guard method & 0x0F == 8, method >> 4 <= 7, (UInt16(method) << 8 | UInt16(flags)) % 31 == 0, flags & 0x20 == 0 else {
            throw .badZlibHeader
        }
        var reader = BitReader(input, start: 2)
        let output = try inflate(&reader)
        reader.alignToByte()
        var expected: UInt32 = 0
        for _ in 0..<4 { expected = expected << 8 | UInt32(try reader.bits(8)) }
        guard adler32(output) == expected else { throw .checksumMismatch }
        return output
    }

    /// Decodes raw DEFLATE data (no zlib header or checksum).
    public static func raw(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var reader = BitReader(input, start: 0)
        return try inflate(&reader)
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var index = 0
        while index < bytes.count {
            // 5552 is the most bytes that cannot overflow 32 bits before the modulo.
            let end = min(index + 5552, bytes.count)
            while index < end {
                a &+= UInt32(bytes[index])
                b &+= a
                index += 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }

    private static func inflate(_ reader: inout BitReader) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(reader.bytes.count * 4)
        var isFinal = false
        while !isFinal {
            isFinal = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0:
                try copyStored(&reader, into: &output)
            case 1:
                try decodeBlock(&reader, literals: fixedLiterals, distances: fixedDistances, into: &output)
            case 2:
                let (literals, distances) = try readDynamicTables(&reader)
                try decodeBlock(&reader, literals: literals, distances: distances, into: &output)
            default:
                throw .badBlockType
            }
        }
        return output
    }

    private static func copyStored(_ reader: inout BitReader, into output: inout [UInt8]) throws(Failure) {
        reader.alignToByte()
        let length = try reader.bits(16)
        let complement = try reader.bits(16)
        guard length == ~complement & 0xFFFF else { throw .storedLengthMismatch }
        for _ in 0..<length { output.append(UInt8(try reader.bits(8))) }
    }

    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private static func readDynamicTables(_ reader: inout BitReader) throws(Failure) -> (Huffman, Huffman) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .badCodeLengths }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[codeLengthOrder[index]] = UInt8(try reader.bits(3)) }
        let codeLengths = try Huffman(lengths: codeLengthLengths)
        var lengths: [UInt8] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try codeLengths.decode(&reader)
            switch symbol {
            case 0...15:
                lengths.append(UInt8(symbol))
            case 16:
                guard let previous = lengths.last else { throw .badCodeLengths }
                lengths += repeatElement(previous, count: 3 + (try reader.bits(2)))
            case 17:
                lengths += repeatElement(0, count: 3 + (try reader.bits(3)))
            default:
                lengths += repeatElement(0, count: 11 + (try reader.bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount, lengths[256] != 0 else { throw .badCodeLengths }
        return (try Huffman(lengths: Array(lengths[..<literalCount])), try Huffman(lengths: Array(lengths[literalCount...])))
    }

    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                      4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    // The fixed codes of RFC 1951 3.2.6; their lengths are valid, so building cannot fail.
    static let fixedLiterals = try! Huffman(lengths: [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
        + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8))
    static let fixedDistances = try! Huffman(lengths: [UInt8](repeating: 5, count: 30))

    private static func decodeBlock(_ reader: inout BitReader, literals: Huffman, distances: Huffman, into output: inout [UInt8]) throws(Failure) {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < lengthBase.count else { throw .badSymbol }
            let length = lengthBase[lengthIndex] + (try reader.bits(lengthExtra[lengthIndex]))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < distanceBase.count else { throw .badSymbol }
            let distance = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
            guard distance <= output.count else { throw .distanceTooFar }
            // Byte by byte: a copy may overlap the bytes it produces (distance < length).
            var from = output.count - distance
            for _ in 0..<length {
                output.append(output[from])
                from += 1
            }
        }
    }
}

/// Reads DEFLATE's least-significant-bit-first bit stream.
struct BitReader {
    let bytes: [UInt8]
    var position: Int
    var buffer: UInt64 = 0
    var count = 0

    init(_ bytes: [UInt8], start: Int) {
        self.bytes = bytes
        position = start
    }

    /// Loads whole bytes until at least 56 bits are buffered or the input ends.
    @inline(__always) mutating func refill() {
        while count <= 56, position < bytes.count {
            buffer |= UInt64(bytes[position]) << UInt64(count)
            position += 1
            count += 8
        }
    }

    @inline(__always) mutating func bits(_ wanted: Int) throws(Inflate.Failure) -> Int {
        if wanted == 0 { return 0 }
        if count < wanted {
            refill()
            guard count >= wanted else { throw .truncated }
        }
        let value = Int(buffer & ((1 << UInt64(wanted)) - 1))
        buffer >>= UInt64(wanted)
        count -= wanted
        return value
    }

    mutating func alignToByte() {
        let drop = count % 8
        buffer >>= UInt64(drop)
        count -= drop
    }
}

/// A canonical Huffman code as a lookup table indexed by the next `maxLength` input bits.
struct Huffman: Sendable {
    /// `symbol << 4 | length`; 0 where no code matches (an incomplete code).
    let table: [UInt32]
    let maxLength: Int

    init(lengths: [UInt8]) throws(Inflate.Failure) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        // Over-subscribed codes cannot be decoded; incomplete ones (a lone distance code) can.
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            guard left >= 0 else { throw .badCodeLengths }
        }
        let maxLength = max(1, lengths.map(Int.init).max() ?? 1)
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        var table = [UInt32](repeating: 0, count: 1 << maxLength)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let length = Int(length)
            let code = nextCode[length]
            nextCode[length] += 1
            var reversed = 0
            for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            let entry = UInt32(symbol) << 4 | UInt32(length)
            var index = reversed
            while index < table.count {
                table[index] = entry
                index += 1 << length
            }
        }
        self.table = table
        self.maxLength = maxLength
    }

    @inline(__always) func decode(_ reader: inout BitReader) throws(Inflate.Failure) -> Int {
        if reader.count < maxLength { reader.refill() }
        let entry = table[Int(reader.buffer & ((1 << UInt64(maxLength)) - 1))]
        let length = Int(entry & 15)
        guard length > 0 else { throw reader.count < maxLength ? .truncated : .badSymbol }
        guard length <= reader.count else { throw .truncated }
        reader.buffer >>= UInt64(length)
        reader.count -= length
        return Int(entry >> 4)
    }
}
