import Foundation
import Contract
import HomeportCore
import Manifests
import TestSupport
import Testing

/// The `config.*` rules beyond their examples: redaction, no double reports, and this
/// repository itself.
struct ConfigRulesTests {
    private func findings(_ files: [String: String], only ids: Set<String> = ["config.cluster", "config.env-drift", "config.no-secrets"]) -> [Finding] {
        Checker().selecting(only: ids, skip: []).check(RepoScanner.snapshot(files: files))
    }

    @Test func secretValuesNeverAppearInFindings() {
        let token = "7c1e" + "9a40-55d2-4f0b-8e3c-61aa90fe1b27"
        let password = "correct-" + "horse-battery"
        let results = findings([
            "config/env/lab.env": "export PROXMOX_TOKEN_SECRET=\"\(token)\"\n",
            "config/extra/nas.yaml": "nas:\n  users:\n    - name: backup\n      password: \(password)\n",
        ], only: ["config.no-secrets"])
        #expect(results.map { "\($0.location.path):\($0.location.line ?? 0)" } == ["config/env/lab.env:1", "config/extra/nas.yaml:4"])
        for finding in results {
            #expect(!finding.message.contains(token) && !finding.message.contains(password), "\(finding.message)")
            #expect(finding.message.contains("…("), "a redacted prefix helps find the value: \(finding.message)")
        }
    }

    @Test func identifiersAndReferencesAreNotSecrets() {
        let results = findings([
            "config/clusters/x.yaml": "proxmox:\n  tokenID: root@pam!ci\n  tokenSecretFile: infrastructure/proxmox/token.sops.yaml\n  secretRef: pve-token\n",
            "config/env/x.env": "PROXMOX_TOKEN_ID=root@pam!ci\nAPI_TOKEN=${API_TOKEN}\nPASSWORD=\"\"\n# PASSWORD=old-value-in-a-comment\n",
        ], only: ["config.no-secrets"])
        #expect(results.isEmpty, "\(results.map(\.message))")
    }

    @Test func encryptedValuesInConfigAreStillReported() {
        let results = findings(["config/extra/s.yaml": "apiKey: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\n"], only: ["config.no-secrets"])
        #expect(results.count == 1)
        #expect(results.first?.message.contains("SOPS-encrypted") == true)
    }

    @Test func aBrokenClusterFileIsReportedOnceByK8sParse() {
        let results = findings(["config/clusters/x.yaml": "name: x\nnodes: [\n"], only: ["k8s.parse", "config.cluster", "config.env-drift"])
        #expect(results.map(\.ruleID) == ["k8s.parse"])
    }

    @Test func thisRepositoryHasNoConfigFindings() throws {
        let report = try CheckRunner.run(CheckOptions(repoRoot: SharedData.packageRoot, only: ["config.cluster", "config.env-drift", "config.no-secrets"]))
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.location.description): \($0.message)" })")
    }

    @Test func driftIsReportedAtTheFirstDifferingLine() throws {
        let repo = try TemporaryRepo(files: ["config/clusters/prox-n100.yaml": try #require(ClusterDefinitionText.reference)])
        let env = try #require(try? String(contentsOfFile: SharedData.packageRoot + "/config/env/prox-n100.env", encoding: .utf8))
        try repo.write("config/env/prox-n100.env", env.replacingOccurrences(of: "FLUX_BRANCH=main", with: "FLUX_BRANCH=develop"))
        let report = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: ["config.env-drift"]))
        let line = env.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "FLUX_BRANCH=main" }.map { $0 + 1 }
        #expect(report.findings.map(\.location) == [SourceLocation(path: "config/env/prox-n100.env", line: line)])
        #expect(report.findings.first?.message.contains("homeport cluster env --write") == true)
    }
}

enum ClusterDefinitionText {
    static var reference: String? {
        try? String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
    }
}
