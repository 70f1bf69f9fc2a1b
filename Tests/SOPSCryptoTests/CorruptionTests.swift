import Foundation
import Testing
@testable import SOPSCrypto
import SOPSFormat
import TestSupport

/// Truncated and corrupted files give errors, never crashes, and never plaintext.
@Suite struct CorruptionTests {
    static let identity = AgeIdentity.generate()

    static func encrypted(_ kind: SOPSStoreKind) throws -> [UInt8] {
        let plain: String
        switch kind {
        case .yaml: plain = "# c\na: secret-one\nb:\n  - 1\n  - true\nc: {d: 2.5}\n"
        case .json: plain = #"{"a":"secret-one","b":[1,true],"c":{"d":2.5}}"#
        case .dotenv: plain = "#c\nA=secret-one\nB=two\n"
        case .ini: plain = "[s]\na = secret-one\n"
        case .binary: plain = "secret-one binary"
        }
        return try SOPSEngine.encrypt(Array(plain.utf8), kind: kind, plan: SOPSKeyPlan(keyGroups: [[identity.recipient]]))
    }

    @Test(arguments: SOPSStoreKind.allCases)
    func truncatedOrFlippedSOPSFilesFailCleanly(kind: SOPSStoreKind) throws {
        let file = try Self.encrypted(kind)
        #expect(try SOPSEngine.decrypt(file, kind: kind, identities: [Self.identity]).plaintext.isEmpty == false)
        var random = SystemRandomNumberGenerator()
        let cuts = Set((0..<60).map { _ in Int.random(in: 0..<file.count, using: &random) })
        for cut in cuts {
            do {
                _ = try SOPSEngine.decrypt(Array(file.prefix(cut)), kind: kind, identities: [Self.identity])
                // A cut inside trailing whitespace may still be a complete file.
                #expect(file[cut...].allSatisfy { $0 == 10 || $0 == 32 || $0 == 9 }, "\(kind) cut at \(cut) decrypted")
            } catch {
                #expect(!"\(error)".contains("secret-one"))
            }
        }
        for _ in 0..<80 {
            var flipped = file
            let position = Int.random(in: 0..<file.count, using: &random)
            flipped[position] ^= UInt8.random(in: 1...255, using: &random)
            do {
                let result = try SOPSEngine.decrypt(flipped, kind: kind, identities: [Self.identity])
                // Only a change outside values and keys (whitespace, a comment's plain
                // text, metadata formatting) may still decrypt, and then to the same data.
                #expect(result.plaintext.count > 0)
            } catch {
                #expect(!"\(error)".contains("secret-one"))
            }
        }
    }

    @Test func truncatedAgeFilesAlwaysFail() throws {
        let plain = Age.randomBytes(70_000)
        for armor in [false, true] {
            let file = try Age.encrypt(plain, to: [Self.identity.recipient], armor: armor)
            for cut in stride(from: 0, to: file.count - (armor ? 40 : 0), by: 997) {
                #expect(throws: (any Error).self) { _ = try Age.decrypt(Array(file.prefix(cut)), identities: [Self.identity]) }
            }
        }
    }
}
