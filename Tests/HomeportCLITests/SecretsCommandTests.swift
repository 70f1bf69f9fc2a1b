import Foundation
import TestSupport
import Testing

/// `homeport secrets …` as a user runs it: the built binary, real files, exit codes.
@Suite struct SecretsCommandTests {
    static var binary: String? {
        let path = SharedData.packageRoot + "/.build/debug/homeport"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        if SharedData.isCI { Issue.record("the homeport binary is not built (swift build)") } else { print("SKIPPED: .build/debug/homeport not built") }
        return nil
    }

    @Test func decryptVectorsWrongKeyAndTampering() throws {
        guard let homeport = Self.binary, let vectors = SharedData.path("sops") else {
            if !SharedData.isCI { print("SKIPPED: binary or shared data sops/ missing") }
            return
        }
        let good = try TestProcess.run(homeport, ["secrets", "decrypt", vectors + "/k8s-secret.enc.yaml"],
                                       environment: ["SOPS_AGE_KEY_FILE": vectors + "/key.txt", "HOME": "/nonexistent"])
        #expect(good.status == 0, "\(good.standardError)")
        #expect(good.standardOutput.contains("password: s3cr3t-P@ss"))
        let repo = try TemporaryRepo()
        let keygen = try TestProcess.run(homeport, ["secrets", "keygen", "-o", repo.root + "/fresh.txt"])
        #expect(keygen.status == 0)
        let wrong = try TestProcess.run(homeport, ["secrets", "decrypt", vectors + "/k8s-secret.enc.yaml"],
                                        environment: ["SOPS_AGE_KEY_FILE": repo.root + "/fresh.txt", "HOME": "/nonexistent"])
        #expect(wrong.status == 1)
        #expect(wrong.standardError.contains("age16he7ymgl9q4l22je480yyc9wtfhzh4jppqyx5v79q8a26gyydy0sn9grgq"))
        #expect(wrong.standardOutput.isEmpty)
        let original = try String(contentsOfFile: vectors + "/k8s-secret.enc.yaml", encoding: .utf8)
        try repo.write("tampered.yaml", original.replacingOccurrences(of: "    empty: \"\"", with: "    empty: \"x\""))
        let tampered = try TestProcess.run(homeport, ["secrets", "decrypt", repo.root + "/tampered.yaml"],
                                           environment: ["SOPS_AGE_KEY_FILE": vectors + "/key.txt", "HOME": "/nonexistent"])
        #expect(tampered.status == 1)
        #expect(tampered.standardOutput.isEmpty)
        #expect(!tampered.standardError.contains("s3cr3t"))
        try repo.write("truncated.yaml", String(original.prefix(original.count / 2)))
        let truncated = try TestProcess.run(homeport, ["secrets", "decrypt", repo.root + "/truncated.yaml"],
                                            environment: ["SOPS_AGE_KEY_FILE": vectors + "/key.txt", "HOME": "/nonexistent"])
        #expect(truncated.status == 1)
        #expect(truncated.standardError.hasPrefix("error: "))
    }

    @Test func keygenRefusesToOverwrite() throws {
        guard let homeport = Self.binary else { return }
        let repo = try TemporaryRepo()
        let path = repo.root + "/age/keys.txt"
        let first = try TestProcess.run(homeport, ["secrets", "keygen", "-o", path])
        #expect(first.status == 0)
        #expect(first.standardOutput.hasPrefix("Public key: age1"))
        let before = repo.read("age/keys.txt")
        let second = try TestProcess.run(homeport, ["secrets", "keygen", "-o", path])
        #expect(second.status == 1)
        #expect(second.standardError.contains("refusing to overwrite"))
        #expect(repo.read("age/keys.txt") == before)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func scanAndStatusOnARepo() throws {
        guard let homeport = Self.binary else { return }
        let repo = try TemporaryRepo(files: [
            "cluster/kubernetes/apps/demo/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\nstringData:\n  password: hunter2-but-longer\n",
        ])
        let scan = try TestProcess.run(homeport, ["secrets", "scan", "--repo", repo.root, "--format", "json"])
        #expect(scan.status == 1)
        #expect(scan.standardOutput.contains("secrets.sops-encrypted"))
        #expect(scan.standardOutput.contains("secrets.sops-config"))
        #expect(!scan.standardOutput.contains("hunter2-but-longer"))
        let status = try TestProcess.run(homeport, ["secrets", "status", "--repo", repo.root])
        #expect(status.status == 1)
        #expect(status.standardOutput.contains("cluster/kubernetes/apps/demo/secret.yaml: NEEDS ATTENTION, not encrypted"))
    }
}

@Suite struct FluxKeyAndBackupCommandTests {
    @Test func fluxKeyPrintsIntoAPipe() throws {
        guard let homeport = SecretsCommandTests.binary else { return }
        let repo = try TemporaryRepo()
        _ = try TestProcess.run(homeport, ["secrets", "keygen", "-o", repo.root + "/k.txt"])
        let result = try TestProcess.run(homeport, ["secrets", "flux-key"], environment: ["SOPS_AGE_KEY_FILE": repo.root + "/k.txt", "HOME": repo.root])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("name: sops-age"))
        #expect(result.standardOutput.contains("namespace: flux-system"))
        #expect(result.standardOutput.contains("age.agekey: "))
    }

    @Test func backupToARecipientAndRestore() throws {
        guard let homeport = SecretsCommandTests.binary else { return }
        let home = try TemporaryRepo()
        let repo = try TemporaryRepo(files: [".talos/c1/secrets.yaml": "cluster:\n  id: x\n", ".talos/c1/talosconfig": "context: c1\n"])
        _ = try TestProcess.run(homeport, ["secrets", "keygen", "-o", home.root + "/.config/sops/age/keys.txt"])
        let recovery = try TestProcess.run(homeport, ["secrets", "keygen", "-o", home.root + "/recovery.txt"])
        let recipient = recovery.standardOutput.replacingOccurrences(of: "Public key: ", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
        let backup = try TestProcess.run(homeport, ["backup", "--to", home.root + "/b.age", "--recipient", recipient, "--repo", repo.root],
                                         environment: ["HOME": home.root])
        #expect(backup.status == 0, "\(backup.standardError)")
        let again = try TestProcess.run(homeport, ["backup", "--to", home.root + "/b.age", "--recipient", recipient, "--repo", repo.root],
                                        environment: ["HOME": home.root])
        #expect(again.status == 1)
        try FileManager.default.removeItem(atPath: repo.root + "/.talos")
        let restore = try TestProcess.run(homeport, ["backup", "restore", home.root + "/b.age", "--identity"],
                                          environment: ["HOME": home.root, "SOPS_AGE_KEY_FILE": home.root + "/recovery.txt"])
        #expect(restore.status == 0, "\(restore.standardError)")
        #expect(repo.read(".talos/c1/talosconfig") == "context: c1\n")
    }
}
