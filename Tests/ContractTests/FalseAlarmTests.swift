import Contract
import Foundation
import HomeportCore
import Manifests
import TestSupport
import Testing

/// The false-alarm classes met on public Flux repositories: each fixture stays quiet while a
/// real problem planted beside it is still reported. (Secret references, placeholders and
/// encoded images are in the planted-secrets set: see PlantedSecretsTests.)
@Suite struct FalseAlarmTests {
    static let fixtures = SharedData.packageRoot + "/Tests/Fixtures/secrets/false-alarms"

    static func copy(_ name: String) throws -> TemporaryRepo {
        let repo = try TemporaryRepo()
        try repo.copy(from: fixtures + "/" + name)
        return repo
    }

    static func lines(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.location.path):\($0.location.line.map(String.init) ?? "-") \($0.severity.rawValue) [\($0.ruleID)] \($0.message)" }
    }

    @Test func templatesAreNotManifestsToEncrypt() throws {
        let repo = try Self.copy("templates")
        let report = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: ["secrets.sops-encrypted"]))
        // The .j2 and .tmpl templates match the creation rule's unanchored path_regex, yet only
        // the real plain Secret beside them is reported.
        #expect(report.findings.map(\.location.path) == ["kubernetes/apps/web/secret.sops.yaml"], "\(Self.lines(report.findings))")
    }

    @Test func aSubstituteFromSecretOutsideTheFluxTreeDefinesVariables() throws {
        let repo = try Self.copy("flux-repo")
        let report = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: ["flux.substitution"]))
        let errors = report.findings.filter { $0.severity == .error }
        // SECRET_DOMAIN (SOPS Secret in bootstrap/) and TIMEZONE (ConfigMap in bootstrap/) are
        // defined; OWNER_EMAIL is not.
        #expect(errors.count == 1, "\(Self.lines(report.findings))")
        #expect(errors.first?.message.contains("${OWNER_EMAIL}") == true)
        #expect(errors.first?.location == SourceLocation(path: "kubernetes/apps/web/configmap.yaml", line: 9))
        let notices = report.findings.filter { $0.severity == .notice }
        #expect(notices.contains { $0.message.contains("bootstrap/cluster-settings.yaml") }, "\(Self.lines(notices))")
        #expect(notices.contains { $0.message.contains("bootstrap/cluster-secrets.sops.yaml") }, "\(Self.lines(notices))")
    }

    @Test func aRemoteBaseIsANoticeNotABrokenBuild() throws {
        let repo = try Self.copy("flux-repo")
        let report = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: ["flux.references"]))
        let errors = report.findings.filter { $0.severity == .error }
        // The Kustomization with a missing file is still broken; the one with remote bases is not.
        #expect(errors.count == 1, "\(Self.lines(report.findings))")
        #expect(errors.first?.location.path == "kubernetes/apps/broken/kustomization.yaml")
        let notices = report.findings.filter { $0.severity == .notice }
        #expect(notices.count == 2, "\(Self.lines(notices))")
        #expect(notices.contains { $0.message.contains("https://github.com/kubernetes-csi/external-snapshotter//client/config/crd?ref=v8.2.0") && $0.location.line == 4 })
        #expect(notices.contains { $0.message.contains("github.com/kubernetes-csi/external-snapshotter/deploy/kubernetes/snapshot-controller?ref=v8.2.0") && $0.location.line == 5 })
    }

    @Test func contractRulesRunOnlyWhereThereIsAContract() throws {
        let repo = try Self.copy("flux-repo")
        try repo.write("tools/x.sh", "echo hi\n")
        let report = try CheckRunner.run(CheckOptions(repoRoot: repo.root))
        let contractFindings = report.findings.filter { RuleScope.isContractRule($0.ruleID) && $0.severity != .notice }
        #expect(contractFindings.isEmpty, "\(Self.lines(contractFindings))")
        let notices = report.findings.filter { $0.location.path == "docs/repo-contract.md" }
        #expect(notices.count == 1)
        #expect(notices.first?.severity == .notice)
        #expect(notices.first?.message.contains("ran the flux, k8s, repo, secrets, talos rules") == true, "\(Self.lines(notices))")
        #expect(notices.first?.message.contains("layout") == true)
        // Flux problems are still found without a contract.
        #expect(report.findings.contains { $0.ruleID == "flux.references" && $0.severity == .error })
        #expect(!report.rules.contains { $0.id == "layout.top-level" })

        // With the contract document, its rules run: the stray top-level folder is reported.
        try repo.write("docs/repo-contract.md", try String(contentsOfFile: SharedData.packageRoot + "/docs/repo-contract.md", encoding: .utf8))
        let withContract = try CheckRunner.run(CheckOptions(repoRoot: repo.root))
        #expect(withContract.findings.contains { $0.ruleID == "layout.top-level" && $0.location.path == "tools" })
        #expect(!withContract.findings.contains { $0.location.path == "docs/repo-contract.md" && $0.severity == .notice })

        // Asked for by id, a contract rule runs anyway.
        try FileManager.default.removeItem(atPath: repo.root + "/docs/repo-contract.md")
        let only = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: ["layout.top-level"]))
        #expect(only.findings.contains { $0.ruleID == "layout.top-level" && $0.location.path == "tools" })
    }
}

/// Item 4 of issue 14: whatever is not read is a finding naming the path and what was not checked.
@Suite struct UnreadFileFindingTests {
    @Test func everySkippedFileIsAFindingAndNothingOutsideIsPrinted() throws {
        let outside = try TemporaryRepo(files: ["token": "PLANTED-OUTSIDE-VALUE\n"])
        let repo = try TemporaryRepo(files: ["apps/web/a.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n", "apps/web/locked.yaml": "a: 1\n"])
        try repo.write("apps/web/dump.yaml", Data(repeating: UInt8(ascii: "a"), count: 5 * 1024 * 1024))
        let fileManager = FileManager.default
        try fileManager.createSymbolicLink(atPath: repo.root + "/apps/web/loop", withDestinationPath: ".")
        try fileManager.createSymbolicLink(atPath: repo.root + "/apps/web/gone.yaml", withDestinationPath: "nowhere.yaml")
        try fileManager.createSymbolicLink(atPath: repo.root + "/apps/web/token.yaml", withDestinationPath: outside.root + "/token")
        if getuid() == 0 {
            // root reads any file: a read that fails anyway (inside the repository's view, the
            // link leaves it, so it is reported either way).
            try fileManager.removeItem(atPath: repo.root + "/apps/web/locked.yaml")
            try fileManager.createSymbolicLink(atPath: repo.root + "/apps/web/locked.yaml", withDestinationPath: "/proc/self/mem")
        } else {
            chmod(repo.root + "/apps/web/locked.yaml", 0)
        }
        let report = try CheckRunner.run(CheckOptions(repoRoot: repo.root))
        let unread = Dictionary(report.findings.filter { $0.ruleID == "repo.unread" }.map { ($0.location.path, $0.message) }, uniquingKeysWith: { $0 + " | " + $1 })
        #expect(unread["apps/web/dump.yaml"]?.contains("over the 4.0 MB limit") == true, "\(unread)")
        #expect(unread["apps/web/loop"]?.contains("loop") == true, "\(unread)")
        #expect(unread["apps/web/gone.yaml"]?.contains("dangling") == true, "\(unread)")
        #expect(unread["apps/web/token.yaml"]?.contains("outside the repository") == true, "\(unread)")
        #expect(unread["apps/web/locked.yaml"] != nil, "\(unread)")
        #expect(unread.count == 5, "\(unread)")
        for format in ReportFormat.allCases {
            #expect(!format.reporter(colored: false).report(report).contains("PLANTED-OUTSIDE-VALUE"))
        }
    }
}
