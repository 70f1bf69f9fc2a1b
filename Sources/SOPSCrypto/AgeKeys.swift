import Crypto
import Foundation
import SOPSFormat

/// An age X25519 identity (private key).
public struct AgeIdentity: Sendable {
    let privateKey: Curve25519.KeyAgreement.PrivateKey

    /// Reads `AGE-SECRET-KEY-1…` (the checksum is verified).
    public init(text: String) throws {
        let bytes: [UInt8]
        do { bytes = try AgeKeyText.identityKey(text) } catch {
            throw AgeError.invalidKey("an age identity \(error)")
        }
        privateKey = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes)
    }

    init(privateKey: Curve25519.KeyAgreement.PrivateKey) {
        self.privateKey = privateKey
    }

    /// A new random identity.
    public static func generate() -> AgeIdentity {
        AgeIdentity(privateKey: Curve25519.KeyAgreement.PrivateKey())
    }

    /// The public recipient of this identity.
    public var recipient: AgeRecipient {
        AgeRecipient(publicKey: privateKey.publicKey)
    }

    /// The `AGE-SECRET-KEY-1…` text. Handle with care: it is the secret.
    public var secretText: String {
        AgeKeyText.identityString([UInt8](privateKey.rawRepresentation))
    }

    /// Identities in an age key file or `SOPS_AGE_KEY` (one per line; `#` and blank lines skipped).
    /// Errors name the line, never its content.
    public static func parseKeyFile(_ text: String, source: String) throws -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for (line, candidate) in AgeKeyText.identityLines(in: text) {
            guard candidate.hasPrefix("AGE-SECRET-KEY-1") else {
                if candidate.hasPrefix("AGE-PLUGIN-") || candidate.hasPrefix("AGE-SECRET-KEY-PQ-1") { continue }
                throw AgeError.invalidKey("\(source) line \(line) is not an age identity (expected AGE-SECRET-KEY-1…)")
            }
            do { identities.append(try AgeIdentity(text: candidate)) } catch {
                throw AgeError.invalidKey("\(source) line \(line): \(error)")
            }
        }
        return identities
    }

    /// An `age-keygen`-compatible key file.
    public func keyFileText(created: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return "# created: \(formatter.string(from: created))\n# public key: \(recipient.text)\n\(secretText)\n"
    }
}

/// An age X25519 recipient (public key).
public struct AgeRecipient: Sendable, Hashable {
    let publicKey: Curve25519.KeyAgreement.PublicKey
    /// `age1…`
    public let text: String

    /// Reads `age1…` (the checksum is verified).
    public init(text: String) throws {
        let bytes: [UInt8]
        do { bytes = try AgeKeyText.recipientKey(text) } catch {
            throw AgeError.invalidKey("recipient '\(text)' \(error)")
        }
        publicKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes)
        self.text = AgeKeyText.recipientString(bytes)
    }

    init(publicKey: Curve25519.KeyAgreement.PublicKey) {
        self.publicKey = publicKey
        self.text = AgeKeyText.recipientString([UInt8](publicKey.rawRepresentation))
    }

    public static func == (lhs: AgeRecipient, rhs: AgeRecipient) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

/// Why an age operation failed. Messages never contain key material or plaintext.
public enum AgeError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidKey(String)
    case malformed(String)
    case noMatchingIdentity(stanzaTypes: [String])
    case wrongPassphrase
    case headerMACMismatch
    case payloadCorrupt(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalidKey(let message): message
        case .malformed(let message): "not a valid age file: \(message)"
        case .noMatchingIdentity(let types): "no identity matches any recipient of the file (stanzas: \(types.joined(separator: ", ")))"
        case .wrongPassphrase: "the passphrase does not decrypt the file"
        case .headerMACMismatch: "the age header MAC does not match: the file was modified or is corrupt"
        case .payloadCorrupt(let message): "the age payload is corrupt or truncated: \(message)"
        case .unsupported(let message): message
        }
    }
}
