import Contract
import Foundation
import HomeportCore
import Testing
import TestSupport

/// The backup and alert-secret rules on this repository's reference homelab, and on a copy of
/// it with a planted mistake.
struct DayTwoRuleTests {
    static let ids: Set<String> = ["apps.backup", "apps.backup-source", "alerts.secrets"]

    @Test func theReferenceHomelabBacksUpEveryLocalPathClaimAndEncryptsItsReceiverSecrets() throws {
        let report = try CheckRunner.run(CheckOptions(repoRoot: SharedData.packageRoot, only: Self.ids))
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.location.description): \($0.message)" })")
    }

    @Test func aPlantedLocalPathClaimWithoutBackupOrReasonIsAnErrorNamingIt() throws {
        let repo = try TemporaryRepo()
        try repo.copy(from: SharedData.packageRoot + "/cluster", to: "cluster")
        try repo.write("cluster/kubernetes/apps/jellyfin/cache-volume.yaml", """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: jellyfin-cache
              namespace: jellyfin
            spec:
              storageClassName: local-path
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
            """)
        // A ReplicationSource left behind after its claim was renamed.
        try repo.write("cluster/kubernetes/apps/jellyfin/backup.yaml",
                       (repo.read("cluster/kubernetes/apps/jellyfin/backup.yaml") ?? "").replacingOccurrences(of: "sourcePVC: jellyfin-config", with: "sourcePVC: jellyfin-conf"))
        let report = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: Self.ids))
        let lines = report.findings.map { "\($0.ruleID) \($0.location.description) \($0.message)" }
        #expect(report.findings.count == 3, "\(lines)")
        #expect(report.findings.contains { $0.ruleID == "apps.backup" && $0.severity == .error && $0.location == SourceLocation(path: "cluster/kubernetes/apps/jellyfin/cache-volume.yaml", line: 4, column: 9) && $0.message.contains("'jellyfin-cache'") }, "\(lines)")
        #expect(report.findings.contains { $0.ruleID == "apps.backup" && $0.message.contains("'jellyfin-config'") }, "the renamed source no longer covers jellyfin-config: \(lines)")
        #expect(report.findings.contains { $0.ruleID == "apps.backup-source" && $0.message.contains("'jellyfin-conf'") }, "\(lines)")
    }

    @Test func aMissingReceiverSecretIsAnError() throws {
        let repo = try TemporaryRepo()
        try repo.copy(from: SharedData.packageRoot + "/cluster", to: "cluster")
        try FileManager.default.removeItem(atPath: repo.root + "/cluster/kubernetes/platform/monitoring/alert-receiver.sops.yaml")
        let report = try CheckRunner.run(CheckOptions(repoRoot: repo.root, only: ["alerts.secrets"]))
        #expect(report.findings.map(\.location.path) == ["cluster/kubernetes/platform/monitoring/kube-prometheus-stack.yaml"])
        #expect(report.findings.first?.message.contains("'alert-receiver'") == true)
    }
}
