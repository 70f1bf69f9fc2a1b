import HomeportCore
import Manifests

/// `apps.backup`: every `local-path` volume of an app is backed up by VolSync, or says why not.
struct AppBackupRule: Rule {
    static let description = RuleDescription(
        id: "apps.backup",
        summary: "Every local-path claim under cluster/kubernetes/apps/ (PersistentVolumeClaims and StatefulSet volumeClaimTemplates, local-path being the default class) is the sourcePVC of a VolSync ReplicationSource in its namespace, or carries the annotation homeport.dev/backup: \"none: <reason>\".",
        rationale: "A local-path volume lives on one VM disk: losing the disk loses the data unless a scheduled copy reaches the NAS. Data that is not worth backing up (models that re-download, a database covered by its own dump) says so in writing, where review sees it.",
        contractSections: ["2.1", "6"],
        nonTriggeringExamples: [
            RuleExample("a claim backed up by a ReplicationSource", files: [
                "cluster/kubernetes/apps/jellyfin/config-volume.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: jellyfin-config\n  namespace: jellyfin\nspec:\n  storageClassName: local-path\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 5Gi\n",
                "cluster/kubernetes/apps/jellyfin/backup.yaml": "apiVersion: volsync.backube/v1alpha1\nkind: ReplicationSource\nmetadata:\n  name: jellyfin-config\n  namespace: jellyfin\nspec:\n  sourcePVC: jellyfin-config\n  trigger:\n    schedule: \"30 3 * * *\"\n  restic:\n    repository: jellyfin-config-restic\n    copyMethod: Direct\n",
            ]),
            RuleExample("a template and a claim that say why they are not backed up; an NFS claim", files: [
                "cluster/kubernetes/apps/nextcloud/postgres.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: postgres\n  namespace: nextcloud\nspec:\n  volumeClaimTemplates:\n    - metadata:\n        name: data\n        annotations:\n          homeport.dev/backup: \"none: the nightly pg_dump job copies it to the NAS\"\n      spec:\n        storageClassName: local-path\n",
                "cluster/kubernetes/apps/ai-studio/ollama.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ollama-models\n  namespace: ai-studio\n  annotations:\n    homeport.dev/backup: \"none: models are downloaded again by the pull job\"\nspec:\n  storageClassName: local-path\n",
                "cluster/kubernetes/apps/nextcloud/data.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: nextcloud-data\n  namespace: nextcloud\nspec:\n  storageClassName: nfs\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a local-path claim with neither a ReplicationSource nor a reason", files: [
                "cluster/kubernetes/apps/open-webui/data.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ↓open-webui-data\n  namespace: open-webui\nspec:\n  storageClassName: local-path\n",
            ]),
            RuleExample("a claim on the default class (local-path) and a StatefulSet template, both uncovered", files: [
                "cluster/kubernetes/apps/wiki/volumes.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ↓wiki-uploads\n  namespace: wiki\nspec:\n  accessModes: [ReadWriteOnce]\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: wiki\nspec:\n  volumeClaimTemplates:\n    - metadata:\n        name: ↓data\n      spec:\n        storageClassName: local-path\n",
            ]),
            RuleExample("a ReplicationSource in another namespace does not cover the claim; a reason must follow 'none:'", files: [
                "cluster/kubernetes/apps/wiki/volumes.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ↓wiki-uploads\n  namespace: wiki\nspec:\n  storageClassName: local-path\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: wiki-cache\n  namespace: wiki\n  annotations:\n    homeport.dev/backup: ↓none\nspec:\n  storageClassName: local-path\n",
                "cluster/kubernetes/apps/other/backup.yaml": "apiVersion: volsync.backube/v1alpha1\nkind: ReplicationSource\nmetadata:\n  name: wiki-uploads\n  namespace: other\nspec:\n  sourcePVC: wiki-uploads\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        let documents = context.objects(under: ContractPaths.apps)
        let backedUp = Set(documents.filter { $0.kind == "ReplicationSource" }.compactMap { source -> String? in
            guard let claim = source.root[path: "spec.sourcePVC"]?.string else { return nil }
            return "\(source.namespace ?? PersistentClaim.appNamespace(source.path) ?? "")/\(claim)"
        })
        var findings: [Finding] = []
        for claim in PersistentClaim.all(in: documents, defaultNamespace: PersistentClaim.appNamespace) where claim.isLocalPath {
            if let annotation = claim.annotations?[PersistentClaim.backupAnnotation] {
                if let problem = Self.annotationProblem(annotation.string) {
                    findings.append(finding(problem, at: claim.path, mark: annotation.mark))
                }
                continue
            }
            guard !backedUp.contains("\(claim.namespace ?? "")/\(claim.name)") else { continue }
            findings.append(finding("\(claim.label) '\(claim.name)' in namespace '\(claim.namespace ?? "(none)")' is on local-path (one VM disk) and nothing backs it up: add a VolSync ReplicationSource with sourcePVC: \(claim.name) (see synology/backups.md), or annotate it \(PersistentClaim.backupAnnotation): \"none: <why losing it is acceptable>\"",
                                    at: claim.path, mark: claim.mark))
        }
        return findings
    }

    /// Why an annotation value is not `none: <reason>`, or nil when it is.
    static func annotationProblem(_ value: String?) -> String? {
        let text = value ?? ""
        guard text.hasPrefix("none:") else {
            return "\(PersistentClaim.backupAnnotation) is '\(text)'; the only value it takes is \"none: <reason>\" (a backed-up claim needs a ReplicationSource, not an annotation)"
        }
        guard !text.dropFirst("none:".count).trimmingCharacters(in: .whitespaces).isEmpty else {
            return "\(PersistentClaim.backupAnnotation) says 'none' without a reason; write why losing this volume is acceptable after 'none: '"
        }
        return nil
    }
}
