import Foundation
import Testing
@testable import SOPSCrypto
import SOPSFormat
import TestSupport

/// Shared helpers for the crypto tests.
enum Vectors {
    /// The vector folder, or nil (and a loud skip, or a failure on CI).
    static func folder(_ function: String = #function) -> String? {
        guard let root = SharedData.path("sops") else {
            if SharedData.isCI { Issue.record("shared data sops/ is missing") } else { print("SKIPPED \(function): shared data sops/ missing") }
            return nil
        }
        return root
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw SOPSError("cannot read \(path)") }
        return [UInt8](data)
    }

    static func identities(_ root: String, _ names: [String] = ["key.txt"]) throws -> [AgeIdentity] {
        try names.flatMap { try AgeIdentity.parseKeyFile(String(decoding: bytes(root + "/" + $0), as: UTF8.self), source: $0) }
    }
}

@Suite struct AgeTests {
    @Test func decryptsEveryVectorFile() throws {
        guard let root = Vectors.folder() else { return }
        let identities = try Vectors.identities(root)
        for name in ["hello.txt", "multi.bin", "exact64k.bin", "empty.bin"] {
            let plain = try Age.decrypt(try Vectors.bytes("\(root)/age/\(name).age"), identities: identities)
            #expect(plain == (try Vectors.bytes("\(root)/age/\(name)")), "\(name)")
        }
        for keyFile in ["key.txt", "key2.txt"] {
            let plain = try Age.decrypt(try Vectors.bytes("\(root)/age/hello.txt.age.armored"), identities: try Vectors.identities(root, [keyFile]))
            #expect(plain == (try Vectors.bytes("\(root)/age/hello.txt")))
        }
    }

    @Test func decryptsTheScryptVector() throws {
        guard let root = Vectors.folder() else { return }
        let passphrase = String(decoding: try Vectors.bytes("\(root)/age/scrypt-passphrase.txt"), as: UTF8.self)
            .trimmingCharacters(in: .newlines)
        let plain = try Age.decrypt(try Vectors.bytes("\(root)/age/hello.txt.scrypt.age"), passphrase: passphrase)
        #expect(plain == (try Vectors.bytes("\(root)/age/hello.txt")))
        #expect(throws: AgeError.wrongPassphrase) {
            try Age.decrypt(try Vectors.bytes("\(root)/age/hello.txt.scrypt.age"), passphrase: "not it")
        }
    }

    @Test(arguments: [0, 5, 65536, 65537, 200_000])
    func roundTrips(size: Int) throws {
        let identity = AgeIdentity.generate()
        let other = AgeIdentity.generate()
        let plain = Age.randomBytes(size)
        for armor in [false, true] {
            let file = try Age.encrypt(plain, to: [identity.recipient, other.recipient], armor: armor)
            #expect(try Age.decrypt(file, identities: [identity]) == plain)
            #expect(try Age.decrypt(file, identities: [other]) == plain)
        }
    }

    @Test func wrongKeyTruncationAndTampering() throws {
        let identity = AgeIdentity.generate()
        let file = try Age.encrypt(Array("attack at dawn".utf8), to: [identity.recipient])
        #expect(throws: AgeError.self) { try Age.decrypt(file, identities: [AgeIdentity.generate()]) }
        for cut in [10, file.count / 2, file.count - 1] {
            #expect(throws: AgeError.self) { try Age.decrypt(Array(file.prefix(cut)), identities: [identity]) }
        }
        var flipped = file
        flipped[flipped.count - 3] ^= 1
        #expect(throws: AgeError.self) { try Age.decrypt(flipped, identities: [identity]) }
        var header = file
        header[30] ^= 1
        #expect(throws: AgeError.self) { try Age.decrypt(header, identities: [identity]) }
        #expect(throws: AgeError.self) { try Age.decrypt(file + [0], identities: [identity]) }
        #expect(throws: AgeError.self) { try Age.decrypt(Array("garbage".utf8), identities: [identity]) }
    }

    @Test func keyFilesRoundTrip() throws {
        let identity = AgeIdentity.generate()
        let text = identity.keyFileText()
        let parsed = try AgeIdentity.parseKeyFile(text, source: "keys.txt")
        #expect(parsed.map(\.recipient) == [identity.recipient])
        #expect(text.contains("# public key: \(identity.recipient.text)"))
        #expect(throws: AgeError.self) { try AgeIdentity.parseKeyFile("not a key\n", source: "x") }
    }

    @Test func shamirSplitsAndCombines() throws {
        let secret = Age.randomBytes(32)
        let shares = try Shamir.split(secret, parts: 3, threshold: 2)
        #expect(shares.allSatisfy { $0.count == 33 })
        #expect(try Shamir.combine([shares[0], shares[2]]) == secret)
        #expect(try Shamir.combine([shares[1], shares[0]]) == secret)
        #expect(try Shamir.combine(shares) == secret)
    }
}
