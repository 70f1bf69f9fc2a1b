import Crypto
import _CryptoExtras
import Foundation
import HomeportCore
import X509

/// A private key as Talos stores it, with the PEM block type talosctl writes for it.
public enum TalosPrivateKey: Sendable {
    case ed25519(Curve25519.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)
    case rsa(_RSA.Signing.PrivateKey)

    /// The algorithm, for messages and tests.
    public var algorithm: String {
        switch self {
        case .ed25519: "Ed25519"
        case .p256: "ECDSA P-256"
        case .rsa(let key): "RSA-\(key.keySizeInBits)"
        }
    }

    /// The PEM form talosctl writes: `ED25519 PRIVATE KEY` (PKCS#8 inside), `EC PRIVATE KEY`
    /// (SEC1) and `RSA PRIVATE KEY` (PKCS#1).
    public var pem: String {
        switch self {
        case .ed25519(let key):
            // PKCS#8 PrivateKeyInfo { version 0, algorithm id-Ed25519, OCTET STRING { OCTET STRING seed } }
            let prefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
            return PEMBlock(type: "ED25519 PRIVATE KEY", der: prefix + Array(key.rawRepresentation)).text
        case .p256(let key):
            // SEC1 ECPrivateKey { version 1, privateKey, [0] prime256v1, [1] publicKey }
            var der: [UInt8] = [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20]
            der += Array(key.rawRepresentation)
            der += [0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
            der += [0xA1, 0x44, 0x03, 0x42, 0x00] + Array(key.publicKey.x963Representation)
            return PEMBlock(type: "EC PRIVATE KEY", der: der).text
        case .rsa(let key):
            return PEMBlock(type: "RSA PRIVATE KEY", der: Array(key.derRepresentation)).text
        }
    }

    /// The key for certificates (signing and the public half).
    public var certificateKey: Certificate.PrivateKey? {
        switch self {
        case .ed25519(let key): Certificate.PrivateKey(key)
        case .p256(let key): Certificate.PrivateKey(key)
        case .rsa: nil
        }
    }

    /// Reads any key type Talos accepts: `ED25519 PRIVATE KEY`, `EC PRIVATE KEY`,
    /// `RSA PRIVATE KEY` and PKCS#8 `PRIVATE KEY`.
    public init(pem text: String) throws {
        guard let block = PEMBlock.parse(text) else { throw HomeportError("not a single PEM block") }
        let ed25519Prefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
        let isEd25519 = block.type == "ED25519 PRIVATE KEY" || (block.type == "PRIVATE KEY" && block.der.starts(with: ed25519Prefix))
        if isEd25519 {
            guard block.der.count == 48, block.der.starts(with: ed25519Prefix) else {
                throw HomeportError("malformed Ed25519 private key")
            }
            self = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: block.der.suffix(32)))
            return
        }
        switch block.type {
        case "EC PRIVATE KEY", "PRIVATE KEY":
            if let key = try? P256.Signing.PrivateKey(derRepresentation: block.der) {
                self = .p256(key)
            } else if block.type == "PRIVATE KEY", let key = try? _RSA.Signing.PrivateKey(derRepresentation: block.der) {
                self = .rsa(key)
            } else {
                throw HomeportError("unsupported \(block.type) (only ECDSA P-256, Ed25519 and RSA keys are read)")
            }
        case "RSA PRIVATE KEY":
            self = .rsa(try _RSA.Signing.PrivateKey(derRepresentation: block.der))
        default:
            throw HomeportError("unsupported PEM block \(block.type)")
        }
    }
}
