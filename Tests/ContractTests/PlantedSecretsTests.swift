import Contract
import Foundation
import HomeportCore
import Manifests
import TestSupport
import Testing

/// The committed planted-secrets set (Tests/Fixtures/secrets) dropped into a copy of this
/// repository: every planted secret is found at its line by its rule, and no planted value
/// reaches any output format.
@Suite struct PlantedSecretsTests {
    struct Planted {
        var path: String
        var line: Int
        var rule: String
        var value: String
    }

    static let fixtures = SharedData.packageRoot + "/Tests/Fixtures/secrets"

    static func manifest() throws -> [Planted] {
        let text = try String(contentsOfFile: fixtures + "/planted.tsv", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let number = Int(fields[1]) else { return nil }
            return Planted(path: fields[0], line: number, rule: fields[2], value: fields[3])
        }
    }

    /// Lines that must have no secrets finding: `path<TAB>line<TAB>why`.
    static func quietLines() throws -> [(String, Int, String)] {
        let text = try String(contentsOfFile: fixtures + "/quiet.tsv", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 3, let number = Int(fields[1]) else { return nil }
            return (fields[0], number, fields[2])
        }
    }

    /// A copy of this repository's tree (not the Swift package) with the planted files added.
    static func plantedRepo() throws -> TemporaryRepo {
        let repo = try TemporaryRepo()
        for folder in ["cluster", "config", "docs", "infrastructure", "scripts", "synology", "ai"] {
            let source = SharedData.packageRoot + "/" + folder
            if FileManager.default.fileExists(atPath: source) { try repo.copy(from: source, to: folder) }
        }
        for file in [".sops.yaml", "AGENTS.md", "README.md"] {
            if let data = FileManager.default.contents(atPath: SharedData.packageRoot + "/" + file) { try repo.write(file, data) }
        }
        try overlay(fixtures + "/planted", into: repo, prefix: "")
        return repo
    }

    static func overlay(_ folder: String, into repo: TemporaryRepo, prefix: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let source = folder + "/" + name
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try overlay(source, into: repo, prefix: prefix + name + "/")
            } else if let data = FileManager.default.contents(atPath: source) {
                try repo.write(prefix + name, data)
            }
        }
    }

    @Test func everyPlantedSecretIsFoundAndNoneIsPrinted() throws {
        let planted = try Self.manifest()
        #expect(planted.count >= 30)
        #expect(Set(planted.map(\.rule)) == SecretsInventory.ruleIDs)
        let repo = try Self.plantedRepo()
        let report = try CheckRunner.run(CheckOptions(repoRoot: repo.root))
        let found = Set(report.findings.map { "\($0.location.path):\($0.location.line ?? 0):\($0.ruleID)" })
        for secret in planted {
            #expect(found.contains("\(secret.path):\(secret.line):\(secret.rule)"), "not found: \(secret.path):\(secret.line) [\(secret.rule)]")
        }
        #expect(report.hasErrors)
        // Beside them, each false-alarm class (a reference, a placeholder, an image) stays quiet.
        let quiet = try Self.quietLines()
        #expect(quiet.count >= 16)
        for (path, line, why) in quiet {
            let noise = report.findings.filter { $0.location.path == path && $0.location.line == line && SecretsInventory.ruleIDs.contains($0.ruleID) }
            #expect(noise.isEmpty, "\(path):\(line) (\(why)) was reported: \(noise.map(\.message))")
        }
        for format in ReportFormat.allCases {
            let output = format.reporter(colored: false).report(report)
            #expect(!output.isEmpty)
            for secret in planted where secret.value != "-" {
                #expect(!output.contains(secret.value), "\(format) output contains the value planted at \(secret.path):\(secret.line)")
            }
        }
    }

    @Test func thisRepositoryIsClean() throws {
        // The repo itself (its homeport.yaml allows the planted fixtures).
        let report = try CheckRunner.run(CheckOptions(repoRoot: SharedData.packageRoot, only: SecretsInventory.ruleIDs))
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.location.description) \($0.ruleID)" })")
    }

    @Test func theEncryptedVectorsAndTheCorpusHaveNoErrors() throws {
        guard let vectors = SharedData.path("sops"), let corpus = SharedData.path("corpus/bjw-s-labs-home-ops") else {
            if SharedData.isCI { Issue.record("shared data missing") } else { print("SKIPPED: shared data sops/ or corpus/ missing") }
            return
        }
        let repo = try TemporaryRepo()
        try repo.copy(from: vectors, to: "vectors")
        // Only the encrypted files: the plain ones and the test keys are meant to be found.
        for name in try FileManager.default.contentsOfDirectory(atPath: repo.root + "/vectors")
        where name.contains("plain") || name.contains("dec.") || name.hasPrefix("key") || name.contains("datakey") || name.contains("share") || name == "age" {
            try FileManager.default.removeItem(atPath: repo.root + "/vectors/" + name)
        }
        try FileManager.default.moveItem(atPath: repo.root + "/vectors/.sops.yaml", toPath: repo.root + "/.sops.yaml")
        // Creation rules naming each vector's actual recipients.
        let first = "age16he7ymgl9q4l22je480yyc9wtfhzh4jppqyx5v79q8a26gyydy0sn9grgq"
        let second = "age1y6nkpkdhnqtyvxmsxkf5rpj09mqaj3xl6a3dyhq9jxyggyllnqfq7n55jz"
        try repo.write(".sops.yaml", """
        creation_rules:
          - path_regex: vectors/k8s-secret
            encrypted_regex: ^(data|stringData)$
            age: \(first),\(second)
          - path_regex: vectors/shamir
            shamir_threshold: 2
            key_groups:
              - age: [\(first)]
              - age: [\(second)]
          - path_regex: vectors/.*\\.enc\\.
            age: \(first)

        """)
        let vectorFindings = SecretsInventory.scan(try RepoScanner().scan(root: repo.root))
        #expect(vectorFindings.filter { $0.severity == .error }.isEmpty, "\(vectorFindings.map { "\($0.location.description) \($0.message)" })")
        let corpusFindings = SecretsInventory.scan(try RepoScanner().scan(root: corpus))
        #expect(corpusFindings.filter { $0.severity == .error }.isEmpty, "\(corpusFindings.map { "\($0.location.description) \($0.message)" })")
    }
}
