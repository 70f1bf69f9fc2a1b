import HomeportCore
import Manifests

/// `apps.backup-source`: a ReplicationSource backs up a claim that exists.
struct ReplicationSourceClaimRule: Rule {
    static let description = RuleDescription(
        id: "apps.backup-source",
        summary: "Every VolSync ReplicationSource under cluster/kubernetes/ names in spec.sourcePVC a claim declared in the repository in its own namespace (a PersistentVolumeClaim, or a claim a StatefulSet's volumeClaimTemplates create).",
        rationale: "A ReplicationSource whose claim was renamed or removed backs up nothing and fails every night; the backup looks configured while the data it should protect is not.",
        contractSections: ["2.1", "6"],
        nonTriggeringExamples: [
            RuleExample("the source names a claim and a StatefulSet's claim", files: [
                "cluster/kubernetes/apps/jellyfin/volumes.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: jellyfin-config\n  namespace: jellyfin\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: cache\n  namespace: jellyfin\nspec:\n  volumeClaimTemplates:\n    - metadata:\n        name: data\n",
                "cluster/kubernetes/apps/jellyfin/backup.yaml": "apiVersion: volsync.backube/v1alpha1\nkind: ReplicationSource\nmetadata:\n  name: config\n  namespace: jellyfin\nspec:\n  sourcePVC: jellyfin-config\n---\napiVersion: volsync.backube/v1alpha1\nkind: ReplicationSource\nmetadata:\n  name: cache\n  namespace: jellyfin\nspec:\n  sourcePVC: data-cache-0\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a misspelt claim and a claim of another namespace", files: [
                "cluster/kubernetes/apps/jellyfin/volumes.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: jellyfin-config\n  namespace: jellyfin\n",
                "cluster/kubernetes/apps/jellyfin/backup.yaml": "apiVersion: volsync.backube/v1alpha1\nkind: ReplicationSource\nmetadata:\n  name: config\n  namespace: jellyfin\nspec:\n  sourcePVC: ↓jellyfin-confg\n",
                "cluster/kubernetes/apps/other/backup.yaml": "apiVersion: volsync.backube/v1alpha1\nkind: ReplicationSource\nmetadata:\n  name: config\n  namespace: other\nspec:\n  sourcePVC: ↓jellyfin-config\n",
            ]),
            RuleExample("a source without sourcePVC", files: [
                "cluster/kubernetes/apps/jellyfin/backup.yaml": "apiVersion: volsync.backube/v1alpha1\nkind: ReplicationSource\nmetadata:\n  name: ↓config\n  namespace: jellyfin\nspec:\n  trigger:\n    schedule: \"0 3 * * *\"\n",
            ]),
        ]
    )

    static let root = "cluster/kubernetes"

    func check(_ context: RuleContext) -> [Finding] {
        let documents = context.objects(under: Self.root)
        let claims = Set(PersistentClaim.all(in: documents, defaultNamespace: PersistentClaim.appNamespace).map { "\($0.namespace ?? "")/\($0.name)" })
        var findings: [Finding] = []
        for source in documents where source.kind == "ReplicationSource" {
            let namespace = source.namespace ?? PersistentClaim.appNamespace(source.path) ?? ""
            guard let claimNode = source.root[path: "spec.sourcePVC"], let claim = claimNode.string else {
                findings.append(finding("ReplicationSource '\(source.name ?? "?")' has no spec.sourcePVC; name the claim it backs up",
                                        at: source.path, mark: source.root[path: "metadata.name"]?.mark))
                continue
            }
            guard !claims.contains("\(namespace)/\(claim)") else { continue }
            let elsewhere = claims.filter { $0.hasSuffix("/\(claim)") }.map { String($0.prefix { $0 != "/" }) }.sorted()
            let hint = elsewhere.isEmpty ? "" : " (a claim of that name exists in namespace \(elsewhere.joined(separator: ", ")); a ReplicationSource backs up claims of its own namespace only)"
            findings.append(finding("ReplicationSource '\(source.name ?? "?")' backs up claim '\(claim)', which no manifest declares in namespace '\(namespace)'\(hint); fix sourcePVC or add the claim",
                                    at: source.path, mark: claimNode.mark))
        }
        return findings
    }
}
