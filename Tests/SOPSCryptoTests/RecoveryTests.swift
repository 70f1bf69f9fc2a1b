import Foundation
import Testing
@testable import SOPSCrypto
import SOPSFormat
import TestSupport

@Suite struct RecoveryTests {
    @Test func fluxKeySecretCarriesTheIdentity() throws {
        let identity = AgeIdentity.generate()
        let manifest = try FluxKey.secretManifest([identity])
        let documents = try YAMLDocumentReader.read(manifest)
        #expect(documents.first?["metadata"]?["namespace"] == .scalar(.string("flux-system")))
        #expect(documents.first?["metadata"]?["name"] == .scalar(.string("sops-age")))
        guard case .scalar(.string(let encoded))? = documents.first?["data"]?["age.agekey"],
              let data = Data(base64Encoded: encoded) else { Issue.record("no age.agekey"); return }
        let parsed = try AgeIdentity.parseKeyFile(String(decoding: data, as: UTF8.self), source: "age.agekey")
        #expect(parsed.map(\.recipient) == [identity.recipient])
        #expect(throws: SOPSError.self) { _ = try FluxKey.secretManifest([]) }
    }

    @Test func backupRoundTripsAndRestoreNeverSilentlyOverwrites() throws {
        let identity = AgeIdentity.generate()
        let home = try TemporaryRepo(files: [".config/sops/age/keys.txt": identity.keyFileText()])
        let repo = try TemporaryRepo(files: [
            ".talos/prox-n100/secrets.yaml": "cluster:\n  id: abc\n",
            ".talos/prox-n100/talosconfig": "context: prox-n100\n",
        ])
        let keyFile = home.root + "/.config/sops/age/keys.txt"
        let (items, missing) = RecoveryBackup.collect(repoRoot: repo.root, ageKeyFile: keyFile, deployKey: home.root + "/nope", home: home.root)
        #expect(items.map(\.role) == ["age-key", "talos-secrets", "talosconfig"])
        #expect(items.first?.path == "~/.config/sops/age/keys.txt")
        #expect(missing.count == 1)
        let sealed = try RecoveryBackup.seal(items, protection: .passphrase("correct horse", workFactor: 10))
        #expect(String(decoding: sealed, as: UTF8.self).hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----"))
        #expect(!String(decoding: sealed, as: UTF8.self).contains("AGE-SECRET-KEY"))
        #expect(throws: (any Error).self) { _ = try RecoveryBackup.open(sealed, passphrase: "wrong", identities: []) }
        let opened = try RecoveryBackup.open(sealed, passphrase: "correct horse", identities: [])
        #expect(opened == items)

        // A new workstation: nothing there yet.
        let newHome = try TemporaryRepo()
        try FileManager.default.removeItem(atPath: repo.root + "/.talos")
        let outcomes = try RecoveryBackup.restore(opened, home: newHome.root, overwrite: false)
        #expect(outcomes.count == 3)
        #expect(newHome.read(".config/sops/age/keys.txt") == home.read(".config/sops/age/keys.txt"))
        #expect(repo.read(".talos/prox-n100/secrets.yaml") == "cluster:\n  id: abc\n")
        let mode = try FileManager.default.attributesOfItem(atPath: newHome.root + "/.config/sops/age/keys.txt")[.posixPermissions] as? Int
        #expect(mode == 0o600 || mode == items.first?.mode)
        // Again: everything is already there.
        #expect(try RecoveryBackup.restore(opened, home: newHome.root, overwrite: false).allSatisfy {
            if case .alreadyPresent = $0 { true } else { false }
        })
        // A different file in the way: refused, then kept aside with --force.
        try repo.write(".talos/prox-n100/talosconfig", "context: other\n")
        #expect(throws: (any Error).self) { _ = try RecoveryBackup.restore(opened, home: newHome.root, overwrite: false) }
        #expect(repo.read(".talos/prox-n100/talosconfig") == "context: other\n")
        _ = try RecoveryBackup.restore(opened, home: newHome.root, overwrite: true)
        #expect(repo.read(".talos/prox-n100/talosconfig") == "context: prox-n100\n")
        #expect(repo.read(".talos/prox-n100/talosconfig.before-restore") == "context: other\n")
    }

    @Test func backupToARecoveryRecipient() throws {
        let recovery = AgeIdentity.generate()
        let items = [RecoveryBackup.Item(role: "age-key", path: "~/k", mode: 0o600, content: Data("x".utf8))]
        let sealed = try RecoveryBackup.seal(items, protection: .recipient(recovery.recipient))
        #expect(try RecoveryBackup.open(sealed, passphrase: nil, identities: [recovery]) == items)
        #expect(throws: (any Error).self) { _ = try RecoveryBackup.open(sealed, passphrase: nil, identities: [AgeIdentity.generate()]) }
    }
}
