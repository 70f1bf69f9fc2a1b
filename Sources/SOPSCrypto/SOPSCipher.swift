import Crypto
import Foundation
import SOPSFormat

/// sops' value encryption: AES-256-GCM with a 32-byte IV and the key path as additional data.
enum SOPSCipher {
    static func encrypt(_ plaintext: [UInt8], type: SOPSValueType, key: SymmetricKey, aad: String, iv: [UInt8]) throws -> EncryptedValue {
        let box = try AES.GCM.seal(plaintext, using: key, nonce: try AES.GCM.Nonce(data: iv), authenticating: Array(aad.utf8))
        return EncryptedValue(ciphertext: [UInt8](box.ciphertext), iv: iv, tag: [UInt8](box.tag), type: type)
    }

    static func decrypt(_ value: EncryptedValue, key: SymmetricKey, aad: String) throws -> [UInt8] {
        let box = try AES.GCM.SealedBox(nonce: try AES.GCM.Nonce(data: value.iv), ciphertext: value.ciphertext, tag: value.tag)
        return [UInt8](try AES.GCM.open(box, using: key, authenticating: Array(aad.utf8)))
    }

    /// The additional data for a value at `path`: `a:b:`.
    static func aad(_ path: [String]) -> String {
        path.map { $0 + ":" }.joined()
    }
}
