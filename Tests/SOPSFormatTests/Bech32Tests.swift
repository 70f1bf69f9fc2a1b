import Foundation
import Testing
@testable import SOPSFormat
import TestSupport

@Suite struct Bech32Tests {
    @Test func roundTripsThirtyTwoBytes() throws {
        let bytes = (0..<32).map { UInt8($0 * 7 % 256) }
        let text = AgeKeyText.recipientString(bytes)
        #expect(text.hasPrefix("age1"))
        #expect(text.count == 62)
        #expect(try AgeKeyText.recipientKey(text) == bytes)
        let identity = AgeKeyText.identityString(bytes)
        #expect(identity.hasPrefix("AGE-SECRET-KEY-1"))
        #expect(try AgeKeyText.identityKey(identity) == bytes)
    }

    @Test func rejectsAChangedCharacter() throws {
        let text = AgeKeyText.recipientString(Array(repeating: 9, count: 32))
        var characters = Array(text)
        characters[10] = characters[10] == "q" ? "p" : "q"
        #expect(throws: AgeKeyText.KeyError.self) { try AgeKeyText.recipientKey(String(characters)) }
    }

    @Test func rejectsMixedCaseAndWrongPrefix() {
        let text = AgeKeyText.recipientString(Array(repeating: 1, count: 32))
        let mixed = "A" + text.dropFirst()
        #expect(throws: AgeKeyText.KeyError.self) { try AgeKeyText.recipientKey(String(mixed)) }
        #expect(throws: AgeKeyText.KeyError.self) { try AgeKeyText.identityKey(text) }
        #expect(throws: AgeKeyText.KeyError.self) { try AgeKeyText.recipientKey("ssh-ed25519 AAAA") }
    }

    @Test func readsTheVectorKeyFiles() throws {
        guard let path = SharedData.path("sops/key.txt") else {
            if SharedData.isCI { Issue.record("shared data sops/key.txt missing") } else { print("SKIPPED: shared data sops/key.txt missing") }
            return
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = AgeKeyText.identityLines(in: text)
        #expect(lines.count == 1)
        let publicLine = text.split(separator: "\n").first { $0.hasPrefix("# public key: ") }
        let recipient = String(publicLine?.dropFirst("# public key: ".count) ?? "")
        #expect(try AgeKeyText.recipientKey(recipient).count == 32)
        #expect(AgeKeyText.isValidIdentity(lines[0].text))
        // Re-encoding the decoded key reproduces the text exactly.
        #expect(AgeKeyText.identityString(try AgeKeyText.identityKey(lines[0].text)) == lines[0].text)
    }
}
