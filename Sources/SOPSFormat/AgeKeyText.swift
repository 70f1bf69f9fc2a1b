import Foundation

/// The text forms of age X25519 keys: recipients `age1…` and identities `AGE-SECRET-KEY-1…`.
public enum AgeKeyText {
    /// Why a key string was rejected.
    public enum KeyError: Error, Sendable, Equatable, CustomStringConvertible {
        case unsupportedType(String)
        case invalidEncoding(String)
        case wrongLength(Int)

        public var description: String {
            switch self {
            case .unsupportedType(let kind): "is a \(kind), which homeport does not support (only X25519 age1… keys)"
            case .invalidEncoding(let reason): "is not a valid age key: it \(reason)"
            case .wrongLength(let count): "decodes to \(count) bytes instead of 32"
            }
        }
    }

    /// Decodes an `age1…` recipient into its 32-byte X25519 public key.
    public static func recipientKey(_ text: String) throws -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("ssh-") { throw KeyError.unsupportedType("SSH key") }
        let decoded: (hrp: String, data: [UInt8])
        do { decoded = try Bech32.decode(trimmed) } catch let error as Bech32.DecodingError {
            throw KeyError.invalidEncoding(error.description)
        }
        guard decoded.hrp == "age" else {
            if decoded.hrp.hasPrefix("age1") { throw KeyError.unsupportedType("plugin or post-quantum recipient (\(decoded.hrp)1…)") }
            throw KeyError.invalidEncoding("has the prefix '\(decoded.hrp)1' instead of 'age1'")
        }
        guard decoded.data.count == 32 else { throw KeyError.wrongLength(decoded.data.count) }
        return decoded.data
    }

    /// Decodes an `AGE-SECRET-KEY-1…` identity into its 32-byte X25519 secret scalar.
    public static func identityKey(_ text: String) throws -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let decoded: (hrp: String, data: [UInt8])
        do { decoded = try Bech32.decode(trimmed) } catch let error as Bech32.DecodingError {
            throw KeyError.invalidEncoding(error.description)
        }
        guard decoded.hrp == "age-secret-key-" else {
            if decoded.hrp.hasPrefix("age-plugin-") || decoded.hrp.hasPrefix("age-secret-key-pq") {
                throw KeyError.unsupportedType("plugin or post-quantum identity")
            }
            throw KeyError.invalidEncoding("has the prefix '\(decoded.hrp.uppercased())1' instead of 'AGE-SECRET-KEY-1'")
        }
        guard decoded.data.count == 32 else { throw KeyError.wrongLength(decoded.data.count) }
        return decoded.data
    }

    /// `age1…` for a 32-byte public key.
    public static func recipientString(_ publicKey: [UInt8]) -> String {
        Bech32.encode(hrp: "age", data: publicKey)
    }

    /// `AGE-SECRET-KEY-1…` for a 32-byte secret key.
    public static func identityString(_ secretKey: [UInt8]) -> String {
        Bech32.encode(hrp: "age-secret-key-", data: secretKey).uppercased()
    }

    /// True when `text` is an X25519 identity whose checksum is valid (what the scanner flags).
    public static func isValidIdentity(_ text: String) -> Bool {
        (try? identityKey(text)) != nil
    }

    /// The identity lines of an age key file (`age-keygen` output or `SOPS_AGE_KEY`): blank
    /// and `#` lines are skipped. Returns each line with its 1-based line number.
    public static func identityLines(in text: String) -> [(line: Int, text: String)] {
        var result: [(Int, String)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            result.append((index + 1, line))
        }
        return result
    }
}
