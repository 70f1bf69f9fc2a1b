import Foundation
import Testing
@testable import SOPSFormat
import TestSupport

@Suite struct TreeTests {
    /// Lines move when inline comments become head comments; compare content only.
    static func withoutLines(_ node: SOPSNode) -> SOPSNode {
        switch node {
        case .mapping(let items):
            return .mapping(items.map {
                if case .entry(let key, let value, _) = $0 { return .entry(key: key, value: withoutLines(value), line: nil) }
                return $0
            })
        case .sequence(let items): return .sequence(items.map(withoutLines))
        default: return node
        }
    }

    @Test func typesScalarsLikeGoYAML() {
        #expect(GoYAMLTyping.resolvePlain("0x1F") == .int("31"))
        #expect(GoYAMLTyping.resolvePlain("1e3") == .float("1000"))
        #expect(GoYAMLTyping.resolvePlain("1.5") == .float("1.5"))
        #expect(GoYAMLTyping.resolvePlain("0755") == .int("493"))
        #expect(GoYAMLTyping.resolvePlain("1_000") == .int("1000"))
        #expect(GoYAMLTyping.resolvePlain("yes") == .string("yes"))
        #expect(GoYAMLTyping.resolvePlain("True") == .bool(true))
        #expect(GoYAMLTyping.resolvePlain("2024-01-01T10:00:00Z") == .time("2024-01-01T10:00:00Z"))
        #expect(GoYAMLTyping.resolvePlain("2024-01-01") == .time("2024-01-01T00:00:00Z"))
        #expect(GoYAMLTyping.resolvePlain("~") == .null)
        #expect(GoYAMLTyping.resolvePlain("1.2.3") == .string("1.2.3"))
    }

    @Test func formatsFloatsLikeGo() {
        #expect(GoYAMLTyping.formatFloat(1e3) == "1000")
        #expect(GoYAMLTyping.formatFloat(0.25) == "0.25")
        #expect(GoYAMLTyping.formatFloat(1e21) == "1000000000000000000000")
        #expect(GoYAMLTyping.formatFloat(1e-7) == "0.0000001")
        #expect(GoYAMLTyping.formatFloat(-2.5) == "-2.5")
        #expect(GoYAMLTyping.formatFloat(123.456) == "123.456")
    }

    @Test func parsesEncryptedValues() throws {
        let text = "ENC[AES256_GCM,data:QIeaWrM=,iv:J+FNMPN0zuEyPZHsQS4q6QYGNCgFCY6vQRevflgVGX4=,tag:qJ6a2fXOSknQ5UUeSbTXWw==,type:str]"
        let value = try EncryptedValue(parsing: text)
        #expect(value.ciphertext.count == 5)
        #expect(value.iv.count == 32)
        #expect(value.type == .str)
        #expect(value.text == text)
        #expect(throws: EncryptedValue.ParseError.self) { try EncryptedValue(parsing: "ENC[AES256_GCM,data:QQ==]") }
        #expect(throws: EncryptedValue.ParseError.self) { try EncryptedValue(parsing: "plain") }
    }

    @Test func flatMetadataRoundTrips() {
        let pairs: [(key: String, value: String)] = [
            ("age__list_0__map_recipient", "age1x"), ("age__list_0__map_enc", "E"),
            ("age__list_1__map_recipient", "age1y"), ("age__list_1__map_enc", "F"),
            ("lastmodified", "t"), ("mac", "m"), ("version", "3.11.0"),
        ]
        let tree = FlatMetadata.unflatten(pairs)
        #expect(tree["age"].map { if case .sequence(let items) = $0 { items.count } else { 0 } } == 2)
        #expect(tree["age"]?.entries.isEmpty == true)
        let back = FlatMetadata.flatten(tree)
        #expect(back.map(\.key) == pairs.map(\.key))
        #expect(back.map(\.value) == pairs.map(\.value))
    }

    @Test func yamlRoundTripKeepsTypesOrderAndComments() throws {
        let text = """
        # top
        b: "yes"
        a:
          # inside
          x: 1 # inline
          list:
            - "007"
            - 2024-01-01T10:00:00Z
          block: |
            line1
            # not a comment
        n: null
        """
        let documents = try YAMLDocumentReader.read(text)
        #expect(documents.count == 1)
        let written = YAMLWriter.emit(documents)
        let again = try YAMLDocumentReader.read(written)
        #expect(again.map(Self.withoutLines) == documents.map(Self.withoutLines))
        guard case .mapping(let items) = documents[0] else { Issue.record("not a mapping"); return }
        #expect(items.first == .comment(" top"))
        let inner = documents[0]["a"]
        guard case .mapping(let innerItems)? = inner else { Issue.record("a is not a mapping"); return }
        #expect(innerItems.prefix(2) == [.comment(" inside"), .comment(" inline")])
        #expect(inner?["block"] == .scalar(.string("line1\n# not a comment\n")))
        #expect(documents[0]["b"] == .scalar(.string("yes")))
    }

    @Test func jsonKeepsOrder() throws {
        let node = try JSONTree.parse(#"{"z":1,"a":[true,null,"s\n"],"m":{"k":0.5}}"#)
        #expect(node.entries.map(\.key) == ["z", "a", "m"])
        let again = try JSONTree.parse(JSONTree.emit(node))
        #expect(again.entries.map(\.key) == ["z", "a", "m"])
        #expect(again["a"] == node["a"])
        #expect(throws: JSONTree.ParseError.self) { try JSONTree.parse("{\"a\": }") }
    }

    @Test func inspectsTheVectors() throws {
        guard let root = SharedData.path("sops") else {
            if SharedData.isCI { Issue.record("shared data sops missing") } else { print("SKIPPED: shared data sops missing") }
            return
        }
        for name in ["k8s-secret.enc.yaml", "multidoc-secret.maconly.enc.yaml", "shamir.enc.yaml", "types.enc.yaml",
                     "app.enc.json", "app.enc.env", "app.enc.ini", "blob.enc.json"] {
            let text = try String(contentsOfFile: root + "/" + name, encoding: .utf8)
            let status = try SOPSFileStatus.inspect(path: name, text: text)
            #expect(status.isEncrypted, "\(name)")
            #expect(status.metadata?.recipients.isEmpty == false, "\(name)")
            let selection = status.metadata?.effectiveSelection ?? .default
            let plain = status.plainValues(selection: selection)
            #expect(plain.isEmpty, "\(name)")
        }
        let plain = try String(contentsOfFile: root + "/k8s-secret.plain.yaml", encoding: .utf8)
        let status = try SOPSFileStatus.inspect(path: "k8s-secret.plain.yaml", text: plain)
        #expect(!status.isEncrypted)
        let values = status.plainValues(selection: .encryptedRegex("^(data|stringData)$"))
        #expect(values.map(\.line) == [11, 12, 13, 14, 15, 17, 17, 21])
    }
}
