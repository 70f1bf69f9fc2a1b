/// Bech32 (BIP 173) as age uses it: no 90-character limit, checksum over the lower-case form,
/// mixed case rejected.
public enum Bech32 {
    /// Why a string is not valid Bech32.
    public enum DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        case mixedCase
        case noSeparator
        case invalidCharacter(Character)
        case badChecksum
        case badPadding

        public var description: String {
            switch self {
            case .mixedCase: "mixes upper and lower case"
            case .noSeparator: "has no '1' separator"
            case .invalidCharacter(let character): "contains '\(character)', which is not a Bech32 character"
            case .badChecksum: "has an invalid checksum (a typo or a truncated key)"
            case .badPadding: "has invalid padding bits"
            }
        }
    }

    private static let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

    /// Encodes `data` under the human-readable part `hrp` (lower case is produced; callers
    /// upper-case identities themselves).
    public static func encode(hrp: String, data: [UInt8]) -> String {
        let values = convertBits(data, from: 8, to: 5, pad: true) ?? []
        let hrpLower = hrp.lowercased()
        let checksum = createChecksum(hrp: Array(hrpLower.utf8), values: values)
        var result = hrpLower + "1"
        for value in values + checksum { result.append(Character(Unicode.Scalar(alphabet[Int(value)]))) }
        return result
    }

    /// Decodes a Bech32 string into its human-readable part (lower case) and data bytes.
    public static func decode(_ text: String) throws -> (hrp: String, data: [UInt8]) {
        let hasLower = text.contains { $0.isLowercase }
        let hasUpper = text.contains { $0.isUppercase }
        if hasLower && hasUpper { throw DecodingError.mixedCase }
        let lower = text.lowercased()
        guard let separator = lower.lastIndex(of: "1"), separator != lower.startIndex else { throw DecodingError.noSeparator }
        let hrp = String(lower[..<separator])
        let payload = lower[lower.index(after: separator)...]
        guard payload.count >= 6 else { throw DecodingError.badChecksum }
        for character in hrp.unicodeScalars where character.value < 33 || character.value > 126 {
            throw DecodingError.invalidCharacter(Character(character))
        }
        var values: [UInt8] = []
        values.reserveCapacity(payload.count)
        for character in payload {
            guard let ascii = character.asciiValue, ascii < 128, reverse[Int(ascii)] >= 0 else {
                throw DecodingError.invalidCharacter(character)
            }
            values.append(UInt8(reverse[Int(ascii)]))
        }
        guard polymod(expandHRP(Array(hrp.utf8)) + values) == 1 else { throw DecodingError.badChecksum }
        guard let data = convertBits(Array(values.dropLast(6)), from: 5, to: 8, pad: false) else {
            throw DecodingError.badPadding
        }
        return (hrp, data)
    }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for bit in 0..<5 where (top >> UInt32(bit)) & 1 == 1 { checksum ^= generator[bit] }
        }
        return checksum
    }

    private static func expandHRP(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    private static func createChecksum(hrp: [UInt8], values: [UInt8]) -> [UInt8] {
        let mod = polymod(expandHRP(hrp) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        return (0..<6).map { UInt8((mod >> (5 * (5 - UInt32($0)))) & 31) }
    }

    private static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0
        var bits = 0
        var result: [UInt8] = []
        let maxValue = (1 << to) - 1
        for value in data {
            accumulator = (accumulator << from) | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                result.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { result.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        } else if bits >= from || ((accumulator << (to - bits)) & maxValue) != 0 {
            return nil
        }
        return result
    }
}
