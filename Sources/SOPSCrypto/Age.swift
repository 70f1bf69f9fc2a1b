import Crypto
import _CryptoExtras
import Foundation

/// age v1 (age-encryption.org/v1): X25519 and scrypt recipients, the header MAC, the STREAM
/// payload (ChaCha20-Poly1305 in 64 KiB chunks) and ASCII armor.
public enum Age {
    static let intro = "age-encryption.org/v1"
    static let chunkSize = 64 * 1024
    static let tagSize = 16
    /// The largest scrypt work factor accepted when decrypting (age's default limit).
    public static let maxScryptLogN = 22

    // MARK: encrypt

    /// Encrypts to one or more X25519 recipients.
    public static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient], armor: Bool = false) throws -> [UInt8] {
        guard !recipients.isEmpty else { throw AgeError.invalidKey("no recipients to encrypt to") }
        let fileKey = randomBytes(16)
        var stanzas: [Stanza] = []
        for recipient in recipients {
            let ephemeral = Curve25519.KeyAgreement.PrivateKey()
            let share = [UInt8](ephemeral.publicKey.rawRepresentation)
            let shared = try ephemeral.sharedSecretFromKeyAgreement(with: recipient.publicKey)
            let salt = share + [UInt8](recipient.publicKey.rawRepresentation)
            let wrapKey = hkdf(secret(shared), salt: salt, info: "age-encryption.org/v1/X25519")
            let body = try sealZeroNonce(fileKey, key: wrapKey)
            stanzas.append(Stanza(type: "X25519", arguments: [base64Raw(share)], body: body))
        }
        return try finish(fileKey: fileKey, stanzas: stanzas, plaintext: plaintext, armor: armor)
    }

    /// Encrypts to a passphrase (the scrypt recipient). `logN` 18 is what age writes.
    public static func encrypt(_ plaintext: [UInt8], passphrase: String, logN: Int = 18, armor: Bool = false) throws -> [UInt8] {
        guard !passphrase.isEmpty else { throw AgeError.invalidKey("the passphrase is empty") }
        let fileKey = randomBytes(16)
        let salt = randomBytes(16)
        let wrapKey = try scryptKey(passphrase, salt: salt, logN: logN)
        let body = try sealZeroNonce(fileKey, key: wrapKey)
        let stanza = Stanza(type: "scrypt", arguments: [base64Raw(salt), String(logN)], body: body)
        return try finish(fileKey: fileKey, stanzas: [stanza], plaintext: plaintext, armor: armor)
    }

    private static func finish(fileKey: [UInt8], stanzas: [Stanza], plaintext: [UInt8], armor: Bool) throws -> [UInt8] {
        var header = intro + "\n"
        for stanza in stanzas { header += stanza.encoded }
        header += "---"
        let macKey = hkdf(fileKey, salt: [], info: "header")
        let mac = HMAC<SHA256>.authenticationCode(for: Array(header.utf8), using: SymmetricKey(data: macKey))
        header += " " + base64Raw([UInt8](mac)) + "\n"
        let nonce = randomBytes(16)
        var output = Array(header.utf8) + nonce
        let payloadKey = hkdf(fileKey, salt: nonce, info: "payload")
        var offset = 0
        var counter: UInt64 = 0
        repeat {
            let end = min(offset + chunkSize, plaintext.count)
            let isLast = end == plaintext.count
            let chunk = try ChaChaPoly.seal(plaintext[offset..<end], using: SymmetricKey(data: payloadKey),
                                            nonce: try chunkNonce(counter, last: isLast))
            output += chunk.ciphertext + chunk.tag
            offset = end
            counter += 1
        } while offset < plaintext.count
        return armor ? Array(Armor.encode(output).utf8) : output
    }

    // MARK: decrypt

    /// Decrypts with X25519 identities. Armored input is accepted.
    public static func decrypt(_ file: [UInt8], identities: [AgeIdentity]) throws -> [UInt8] {
        let (header, payload) = try parse(try Armor.decodeIfArmored(file))
        if header.stanzas.contains(where: { $0.type == "scrypt" }) {
            throw AgeError.unsupported("the file is encrypted to a passphrase; decrypt it with the passphrase")
        }
        for stanza in header.stanzas where stanza.type == "X25519" {
            guard stanza.arguments.count == 1, let share = decodeBase64Raw(stanza.arguments[0]), share.count == 32 else {
                throw AgeError.malformed("an X25519 stanza has an invalid share")
            }
            guard stanza.body.count == 32 else { throw AgeError.malformed("an X25519 stanza body is not 32 bytes") }
            guard let sharePublic = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: share) else { continue }
            for identity in identities {
                guard let shared = try? identity.privateKey.sharedSecretFromKeyAgreement(with: sharePublic) else { continue }
                let sharedBytes = secret(shared)
                if sharedBytes.allSatisfy({ $0 == 0 }) { throw AgeError.malformed("an X25519 share is a low-order point") }
                let salt = share + [UInt8](identity.privateKey.publicKey.rawRepresentation)
                let wrapKey = hkdf(sharedBytes, salt: salt, info: "age-encryption.org/v1/X25519")
                if let fileKey = try? openZeroNonce(stanza.body, key: wrapKey), fileKey.count == 16 {
                    return try decryptPayload(header: header, payload: payload, fileKey: fileKey)
                }
            }
        }
        throw AgeError.noMatchingIdentity(stanzaTypes: header.stanzas.map(\.type))
    }

    /// Decrypts a passphrase-encrypted file.
    public static func decrypt(_ file: [UInt8], passphrase: String, maxLogN: Int = maxScryptLogN) throws -> [UInt8] {
        let (header, payload) = try parse(try Armor.decodeIfArmored(file))
        guard let stanza = header.stanzas.first(where: { $0.type == "scrypt" }) else {
            throw AgeError.unsupported("the file is not encrypted to a passphrase")
        }
        guard header.stanzas.count == 1 else { throw AgeError.malformed("an scrypt stanza must be the only stanza") }
        guard stanza.arguments.count == 2, let salt = decodeBase64Raw(stanza.arguments[0]), salt.count == 16,
              let logN = Int(stanza.arguments[1]), stanza.arguments[1].first != "0", logN >= 1 else {
            throw AgeError.malformed("invalid scrypt stanza arguments")
        }
        guard logN <= maxLogN else { throw AgeError.unsupported("scrypt work factor 2^\(logN) is above the limit 2^\(maxLogN)") }
        guard stanza.body.count == 32 else { throw AgeError.malformed("the scrypt stanza body is not 32 bytes") }
        guard !passphrase.isEmpty else { throw AgeError.wrongPassphrase }
        let wrapKey = try scryptKey(passphrase, salt: salt, logN: logN)
        guard let fileKey = try? openZeroNonce(stanza.body, key: wrapKey), fileKey.count == 16 else {
            throw AgeError.wrongPassphrase
        }
        return try decryptPayload(header: header, payload: payload, fileKey: fileKey)
    }

    private static func decryptPayload(header: Header, payload: ArraySlice<UInt8>, fileKey: [UInt8]) throws -> [UInt8] {
        let macKey = hkdf(fileKey, salt: [], info: "header")
        guard HMAC<SHA256>.isValidAuthenticationCode(header.mac, authenticating: header.macInput, using: SymmetricKey(data: macKey)) else {
            throw AgeError.headerMACMismatch
        }
        guard payload.count >= 16 else { throw AgeError.payloadCorrupt("the payload nonce is missing") }
        let nonce = Array(payload.prefix(16))
        let payloadKey = SymmetricKey(data: hkdf(fileKey, salt: nonce, info: "payload"))
        var rest = payload.dropFirst(16)
        guard !rest.isEmpty else { throw AgeError.payloadCorrupt("no payload chunk") }
        var output: [UInt8] = []
        output.reserveCapacity(rest.count)
        var counter: UInt64 = 0
        let fullChunk = chunkSize + tagSize
        while true {
            let isLast = rest.count <= fullChunk
            let chunk = rest.prefix(fullChunk)
            guard chunk.count >= tagSize else { throw AgeError.payloadCorrupt("a chunk is shorter than its tag") }
            let box = try ChaChaPoly.SealedBox(nonce: try chunkNonce(counter, last: isLast),
                                               ciphertext: chunk.dropLast(tagSize), tag: chunk.suffix(tagSize))
            let plain: Data
            do { plain = try ChaChaPoly.open(box, using: payloadKey) } catch {
                throw AgeError.payloadCorrupt(isLast ? "the last chunk does not authenticate (truncated or modified)" : "chunk \(counter) does not authenticate")
            }
            if isLast, plain.isEmpty, counter > 0 { throw AgeError.payloadCorrupt("an empty last chunk after data") }
            output += plain
            rest = rest.dropFirst(chunk.count)
            counter += 1
            if isLast { break }
        }
        return output
    }

    // MARK: header

    struct Stanza {
        var type: String
        var arguments: [String]
        var body: [UInt8]

        var encoded: String {
            var text = "-> " + ([type] + arguments).joined(separator: " ") + "\n"
            let encodedBody = base64Raw(body)
            var index = encodedBody.startIndex
            while true {
                let end = encodedBody.index(index, offsetBy: 64, limitedBy: encodedBody.endIndex) ?? encodedBody.endIndex
                text += encodedBody[index..<end] + "\n"
                if encodedBody.distance(from: index, to: end) < 64 { break }
                index = end
            }
            return text
        }
    }

    struct Header {
        var stanzas: [Stanza]
        var mac: [UInt8]
        /// The header bytes the MAC covers: up to and including `---`.
        var macInput: [UInt8]
    }

    /// Splits a binary age file into its header and payload.
    static func parse(_ file: [UInt8]) throws -> (Header, ArraySlice<UInt8>) {
        var position = 0
        func readLine() throws -> String {
            guard let newline = file[position...].firstIndex(of: 10) else { throw AgeError.malformed("the header ends early") }
            guard newline - position <= 4096, let line = String(bytes: file[position..<newline], encoding: .utf8) else {
                throw AgeError.malformed("a header line is not text")
            }
            position = newline + 1
            return line
        }
        guard try readLine() == intro else { throw AgeError.malformed("it does not start with \(intro)") }
        var stanzas: [Stanza] = []
        var line = try readLine()
        while true {
            if line.hasPrefix("--- ") {
                let macText = String(line.dropFirst(4))
                guard let mac = decodeBase64Raw(macText), mac.count == 32 else { throw AgeError.malformed("the header MAC is invalid") }
                let macInputEnd = position - 1 - macText.utf8.count - 1  // up to and including "---"
                let header = Header(stanzas: stanzas, mac: mac, macInput: Array(file[0..<macInputEnd]))
                return (header, file[position...])
            }
            guard line.hasPrefix("-> ") else { throw AgeError.malformed("expected a stanza or the header end") }
            let parts = line.dropFirst(3).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard let type = parts.first, !type.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
                throw AgeError.malformed("a stanza has an empty argument")
            }
            var body: [UInt8] = []
            while true {
                let bodyLine = try readLine()
                guard let decoded = decodeBase64Raw(bodyLine), bodyLine.count <= 64 else {
                    throw AgeError.malformed("a stanza body is not canonical base64")
                }
                body += decoded
                if bodyLine.count < 64 { break }
            }
            stanzas.append(Stanza(type: type, arguments: Array(parts.dropFirst()), body: body))
            if stanzas.count > 1024 { throw AgeError.malformed("too many stanzas") }
            line = try readLine()
        }
    }

    // MARK: primitives

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func secret(_ shared: SharedSecret) -> [UInt8] {
        shared.withUnsafeBytes { [UInt8]($0) }
    }

    static func hkdf(_ ikm: [UInt8], salt: [UInt8], info: String) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: ikm), salt: salt, info: Array(info.utf8), outputByteCount: 32)
        return key.withUnsafeBytes { [UInt8]($0) }
    }

    static func sealZeroNonce(_ plaintext: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let box = try ChaChaPoly.seal(plaintext, using: SymmetricKey(data: key), nonce: try ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)))
        return [UInt8](box.ciphertext) + [UInt8](box.tag)
    }

    static func openZeroNonce(_ body: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let box = try ChaChaPoly.SealedBox(nonce: try ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)),
                                           ciphertext: body.dropLast(16), tag: body.suffix(16))
        return [UInt8](try ChaChaPoly.open(box, using: SymmetricKey(data: key)))
    }

    static func chunkNonce(_ counter: UInt64, last: Bool) throws -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[10 - index] = UInt8((counter >> (8 * UInt64(index))) & 0xff) }
        bytes[11] = last ? 1 : 0
        return try ChaChaPoly.Nonce(data: bytes)
    }

    static func scryptKey(_ passphrase: String, salt: [UInt8], logN: Int) throws -> [UInt8] {
        let fullSalt = Array("age-encryption.org/v1/scrypt".utf8) + salt
        let key = try KDF.Scrypt.deriveKey(from: Array(passphrase.utf8), salt: fullSalt, outputByteCount: 32,
                                           rounds: 1 << logN, blockSize: 8, parallelism: 1)
        return key.withUnsafeBytes { [UInt8]($0) }
    }

    /// Unpadded standard base64.
    static func base64Raw(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Decodes unpadded, canonical base64 (no `=`, zero trailing bits).
    static func decodeBase64Raw(_ text: String) -> [UInt8]? {
        guard !text.contains("="), text.count % 4 != 1 else { return nil }
        let padded = text + String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let data = Data(base64Encoded: padded) else { return nil }
        let bytes = [UInt8](data)
        guard base64Raw(bytes) == text else { return nil }
        return bytes
    }
}

/// age's strict PEM-style armor.
public enum Armor {
    static let begin = "-----BEGIN AGE ENCRYPTED FILE-----"
    static let end = "-----END AGE ENCRYPTED FILE-----"

    /// Armors binary age output: padded base64 in 64-column lines.
    public static func encode(_ bytes: [UInt8]) -> String {
        let text = Data(bytes).base64EncodedString()
        var lines: [String] = [begin]
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 64, limitedBy: text.endIndex) ?? text.endIndex
            lines.append(String(text[index..<next]))
            index = next
        }
        lines.append(end)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The binary file, whether `bytes` is armored or not.
    public static func decodeIfArmored(_ bytes: [UInt8]) throws -> [UInt8] {
        let prefix = bytes.prefix(64).drop { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }
        guard prefix.starts(with: Array(begin.utf8)) else { return bytes }
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw AgeError.malformed("the armor is not text") }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 2, lines.first == begin, lines.last == end else { throw AgeError.malformed("the armor has no proper BEGIN/END lines") }
        let body = lines.dropFirst().dropLast()
        for (index, line) in body.enumerated() {
            let isLast = index == body.count - 1
            guard line.count <= 64, isLast || line.count == 64 else { throw AgeError.malformed("an armor line has the wrong length") }
        }
        guard let data = Data(base64Encoded: body.joined()) else { throw AgeError.malformed("the armor is not valid base64") }
        return [UInt8](data)
    }
}
