@testable import Flux
import Testing

/// The zlib decoder against streams Python's zlib produced, one per DEFLATE block type, and
/// against broken input.
@Suite struct InflateTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    // zlib.compress(b"stored block, no compression", 0): a stored block.
    static let stored = "7801011c00e3ff73746f72656420626c6f636b2c206e6f20636f6d7072657373696f6e99110ab8"
    // zlib.compress(b"hello hello hello world", 9): fixed Huffman codes and a back-reference.
    static let fixed = "78dacb48cdc9c957c84022cbf38b725200687d08c5"
    // zlib.compress(2049 bytes of random manifest words, 9): a dynamic Huffman block.
    static let dynamic = """
    78da7555496ec3300cbcf3157c871ed2bbe01885d1c63192fc1f15c58cb8486d50d9a2b80e87f2f638dff538f7e7ebbebfebadb6cdbd7eefccf53abe\
    9af4789c3fc7792b2ceb3694c98e0bbfae7d8beadd475f6427e7eaa48b4c9570caedcfb9244a8a314261e4fadcafdf63abafae0ea1e64a382bcd378e\
    fa0171cfd88ab1027d0ea273d67b83e293b7198898643111a28915a2a16e974a34921dce3a160e2538d9a6068955c287592dc9b4576f3412473044d7\
    4245624e71d65ac3ec53fd30c4fc9a4dac0f19f7dae4287614fe3c5ec61ca439955d381b2671ea162ba0be33deaf8fce89cb1daf4c363c4d2de5e100\
    a7198c2270faf90a244b0b80635e4c04a647147c65cb318dbda5382cff5a887b0a7ce401b3338a9406b9e4ddffc3d0a31fa37b3a5a86b16a8fef4ac7\
    78a084b6e19bed4ca29ee5e789d3cb976550139b3cca167f1e205f7bf718e15a4daabf36d1e27869414a9499e40b107b5d47f61edb699287e698b6d5\
    a8e0394f00690a634b3925eb98dde22bec70a3854c01fe0cb1bf4ef4834433abd2cd6a5e623fda7df7d1b4f0feada4d91dc5ce70e4676f9816b68ace\
    ac14c41065eafb2af3f7596c4afa6a4776b5aa48b1f1c4fc03868f1879
    """

    @Test func storedFixedAndDynamicBlocksDecode() throws {
        #expect(String(decoding: try Inflate.zlib(Self.bytes(Self.stored)), as: UTF8.self) == "stored block, no compression")
        #expect(String(decoding: try Inflate.zlib(Self.bytes(Self.fixed)), as: UTF8.self) == "hello hello hello world")
        let text = String(decoding: try Inflate.zlib(Self.bytes(Self.dynamic.filter { !$0.isWhitespace })), as: UTF8.self)
        #expect(text.utf8.count == 2049)
        #expect(Inflate.adler32(Array(text.utf8)) == 2_257_524_857)
        // Only the words the generator picked from.
        var rest = Substring(text)
        for word in ["apiVersion", "containers", "replicas", "metadata", "image", "kind", "spec", "name", ": ", "\n", "  "] {
            rest = Substring(rest.replacingOccurrences(of: word, with: ""))
        }
        #expect(rest.isEmpty)
    }

    @Test func adler32MatchesTheReferenceValue() {
        #expect(Inflate.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Inflate.adler32([]) == 1)
    }

    @Test func brokenStreamsAreRefusedWithTheReason() {
        var checksum = Self.bytes(Self.fixed)
        checksum[checksum.count - 1] ^= 1
        #expect(throws: Inflate.Failure.checksumMismatch) { try Inflate.zlib(checksum) }
        let truncated = Array(Self.bytes(Self.fixed).dropLast(8))
        #expect(throws: Inflate.Failure.truncated) { try Inflate.zlib(truncated) }
        var header = Self.bytes(Self.fixed)
        header[1] ^= 0x01
        #expect(throws: Inflate.Failure.badZlibHeader) { try Inflate.zlib(header) }
        var stored = Self.bytes(Self.stored)
        stored[5] ^= 0xFF  // NLEN no longer complements LEN
        #expect(throws: Inflate.Failure.storedLengthMismatch) { try Inflate.zlib(stored) }
        // BFINAL=1, BTYPE=3 (reserved).
        #expect(throws: Inflate.Failure.badBlockType) { try Inflate.raw([0x07]) }
    }

    @Test func backReferenceBeforeTheStartIsRefused() {
        // Fixed block: length code 257 (3 bytes), distance code 0 (1 back) with no output yet.
        // Bits LSB first: BFINAL 1, BTYPE 01, then 7-bit code 0000001 (symbol 257), 5-bit 00000.
        #expect(throws: Inflate.Failure.distanceTooFar) { try Inflate.raw([0x03, 0x02, 0x00]) }
    }

    @Test func base64TextSkipsLineBreaksAndRefusesOtherCharacters() {
        let text = Array("aGVs\nbG8=".utf8)
        text.withUnsafeBufferPointer { buffer in
            #expect(Base64Text.decode(buffer, from: 0, count: 8, lineLength: 4) == Array("hello".utf8))
        }
        let bad = Array("aGV*".utf8)
        bad.withUnsafeBufferPointer { buffer in
            #expect(Base64Text.decode(buffer, from: 0, count: 4, lineLength: 76) == nil)
        }
    }
}
