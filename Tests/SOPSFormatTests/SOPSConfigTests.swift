import Foundation
import Testing
@testable import SOPSFormat
import TestSupport

@Suite struct SOPSConfigTests {
    static let config = """
    creation_rules:
      - path_regex: cluster/kubernetes/.*\\.sops\\.ya?ml$
        encrypted_regex: ^(data|stringData)$
        mac_only_encrypted: true
        key_groups:
          - age:
              - age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq
      - path_regex: talos/.*
        age: >-
          age1aaa,
          age1bbb
      - age: age1ccc
    """

    @Test func firstMatchingRuleWins() {
        let parsed = SOPSConfig.parse(Self.config)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.rules.count == 3)
        #expect(parsed.rule(for: "cluster/kubernetes/apps/a/secret.sops.yaml")?.index == 0)
        #expect(parsed.rule(for: "cluster/talos/x.yaml")?.index == 1)
        #expect(parsed.rule(for: "anything/else")?.index == 2)
        #expect(parsed.rules[0].effectiveSelection == .encryptedRegex("^(data|stringData)$"))
        #expect(parsed.rules[0].macOnlyEncrypted)
        #expect(parsed.rules[2].effectiveSelection == .unencryptedSuffix("_unencrypted"))
    }

    @Test func recipientsCarryTheirLines() {
        let parsed = SOPSConfig.parse(Self.config)
        #expect(parsed.rules[0].allRecipients.map(\.mark?.line) == [7])
        #expect(parsed.rules[1].allRecipients.map(\.value) == ["age1aaa", "age1bbb"])
        #expect(parsed.rules[1].allRecipients.map(\.mark?.line) == [10, 11])
        #expect(parsed.rules[2].allRecipients.map(\.mark?.line) == [12])
    }

    @Test func problemsHaveMarks() {
        let parsed = SOPSConfig.parse("creation_rules:\n  - path_regex: '(['\n    encrypted_regex: a\n    unencrypted_regex: b\n")
        #expect(parsed.problems.count == 2)
        #expect(parsed.problems.map(\.mark?.line) == [2, 4])
        #expect(SOPSConfig.parse("foo: 1\n").problems.count == 1)
        #expect(SOPSConfig.parse("creation_rules: [\n").problems.count == 1)
    }

    @Test func selectionLooksAtEveryKeyOnThePath() {
        let regex = EncryptionSelection.encryptedRegex("^(data|stringData)$")
        #expect(regex.shouldEncrypt(path: ["stringData", "password"]))
        #expect(!regex.shouldEncrypt(path: ["metadata", "name"]))
        #expect(regex.shouldEncrypt(path: ["metadata", "labels", "data"]))
        #expect(!EncryptionSelection.default.shouldEncrypt(path: ["nested", "api_unencrypted"]))
        #expect(EncryptionSelection.default.shouldEncrypt(path: ["nested", "deep", "x"]))
        #expect(EncryptionSelection.encryptedSuffix("_enc").shouldEncrypt(path: ["a_enc", "b"]))
        #expect(!EncryptionSelection.unencryptedRegex("^pub").shouldEncrypt(path: ["public"]))
    }
}
