import Foundation
import Testing
@testable import SOPSCrypto
import SOPSFormat
import TestSupport

@Suite struct OperationsTests {
    static let secret = """
    # Demo secret
    apiVersion: v1
    kind: Secret
    metadata:
      name: demo # the name
      namespace: demo
    stringData:
      # who
      username: admin
      password: correct-horse-battery
      port: 5432

    """

    final class Setup {
        let repo: TemporaryRepo
        let first = AgeIdentity.generate()
        let second = AgeIdentity.generate()

        init(recipients: [AgeIdentity]? = nil) throws {
            repo = try TemporaryRepo()
            try writeConfig(recipients ?? [first])
            try repo.write("apps/demo/secret.sops.yaml", OperationsTests.secret)
        }

        func writeConfig(_ identities: [AgeIdentity]) throws {
            try repo.write(".sops.yaml", """
            creation_rules:
              - path_regex: apps/.*\\.sops\\.yaml$
                encrypted_regex: ^(data|stringData)$
                age: \(identities.map(\.recipient.text).joined(separator: ","))

            """)
        }

        func operations(_ identities: [AgeIdentity]) -> SecretsOperations {
            SecretsOperations(workingDirectory: repo.root + "/apps", environment: ["SOPS_AGE_KEY": identities.map(\.secretText).joined(separator: "\n"), "HOME": repo.root])
        }

        var file: String { repo.root + "/apps/demo/secret.sops.yaml" }
        var text: String { repo.read("apps/demo/secret.sops.yaml") ?? "" }
    }

    @Test func encryptInPlaceKeepsCommentsOrderAndReadableMetadata() throws {
        let setup = try Setup()
        _ = try setup.operations([setup.first]).encrypt(setup.file, inPlace: true)
        let text = setup.text
        #expect(!text.contains("correct-horse-battery"))
        #expect(text.hasPrefix("# Demo secret\napiVersion: v1\nkind: Secret\nmetadata:\n"))
        #expect(text.contains("name: demo"))
        #expect(text.contains("#ENC["))  // the comment under stringData is encrypted, as sops does
        let attributes = try FileManager.default.attributesOfItem(atPath: setup.file)
        #expect(attributes[.posixPermissions] != nil)
        // Decrypt gives the data back, comments included.
        let plain = String(decoding: try setup.operations([setup.first]).decrypt(setup.file), as: UTF8.self)
        #expect(plain.contains("# who"))
        #expect(plain.contains("password: correct-horse-battery"))
        let usernameAt = plain.range(of: "username")?.lowerBound
        let passwordAt = plain.range(of: "password")?.lowerBound
        #expect(usernameAt != nil && passwordAt != nil && usernameAt! < passwordAt!)
    }

    @Test func editChangesOnlyTheEditedValue() throws {
        let setup = try Setup()
        let operations = setup.operations([setup.first])
        _ = try operations.encrypt(setup.file, inPlace: true)
        let before = setup.text
        let passwordLine = before.split(separator: "\n").first { $0.contains("password: ENC") }
        let unchanged = try operations.edit(setup.file, editor: "true")
        #expect(!unchanged)
        #expect(setup.text == before)
        let changed = try operations.edit(setup.file, editor: "sed -i 's/username: admin/username: root/'")
        #expect(changed)
        let after = setup.text
        #expect(after.split(separator: "\n").first { $0.contains("password: ENC") } == passwordLine)
        #expect(after.split(separator: "\n").first { $0.contains("username: ENC") } != before.split(separator: "\n").first { $0.contains("username: ENC") })
        let plain = String(decoding: try operations.decrypt(setup.file), as: UTF8.self)
        #expect(plain.contains("username: root"))
        // The plaintext scratch folder is gone.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("homeport-edit-") }
        #expect(leftovers.isEmpty)
        // A failing editor leaves the file as it was.
        #expect(throws: (any Error).self) { _ = try operations.edit(setup.file, editor: "false") }
        #expect(setup.text == after)
    }

    @Test func editCreatesANewEncryptedFile() throws {
        let setup = try Setup()
        let operations = setup.operations([setup.first])
        let path = setup.repo.root + "/apps/demo/new.sops.yaml"
        #expect(try operations.edit(path, editor: "printf 'stringData:\\n  token: fresh-value-123\\n' >"))
        let text = setup.repo.read("apps/demo/new.sops.yaml") ?? ""
        #expect(text.contains("token: ENC["))
        #expect(!text.contains("fresh-value-123"))
        #expect(String(decoding: try operations.decrypt(path), as: UTF8.self).contains("token: fresh-value-123"))
        // Leaving the editor without writing anything creates nothing.
        #expect(!(try operations.edit(setup.repo.root + "/apps/demo/other.sops.yaml", editor: "true")))
        #expect(!FileManager.default.fileExists(atPath: setup.repo.root + "/apps/demo/other.sops.yaml"))
    }

    @Test func updatekeysFollowsTheConfigAndRotateChangesTheDataKey() throws {
        let setup = try Setup()
        _ = try setup.operations([setup.first]).encrypt(setup.file, inPlace: true)
        #expect(throws: (any Error).self) { _ = try setup.operations([setup.second]).decrypt(setup.file) }
        try setup.writeConfig([setup.first, setup.second])
        #expect(try setup.operations([setup.first]).updateKeys(setup.file))
        #expect(!(try setup.operations([setup.first]).updateKeys(setup.file)))
        let viaSecond = String(decoding: try setup.operations([setup.second]).decrypt(setup.file), as: UTF8.self)
        #expect(viaSecond.contains("password: correct-horse-battery"))
        let beforeRotate = try setup.operations([setup.first]).open(setup.file)
        try setup.operations([setup.first]).rotate(setup.file)
        let afterRotate = try setup.operations([setup.second]).open(setup.file)
        #expect(beforeRotate.dataKey != afterRotate.dataKey)
        #expect(afterRotate.documents.map(stripComments) == beforeRotate.documents.map(stripComments))
        #expect(afterRotate.metadata.recipients.sorted() == [setup.first.recipient.text, setup.second.recipient.text].sorted())
    }

    @Test func noConfigAndNoRuleAreClearErrors() throws {
        let repo = try TemporaryRepo(files: ["x.yaml": "a: b\n"])
        let operations = SecretsOperations(workingDirectory: repo.root, environment: [:])
        #expect(throws: (any Error).self) { _ = try operations.encrypt(repo.root + "/x.yaml") }
        try repo.write(".sops.yaml", "creation_rules:\n  - path_regex: nothing$\n    age: \(AgeIdentity.generate().recipient.text)\n")
        #expect(throws: (any Error).self) { _ = try operations.encrypt(repo.root + "/x.yaml") }
    }
}
