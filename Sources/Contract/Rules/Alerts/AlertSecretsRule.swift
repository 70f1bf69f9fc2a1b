import HomeportCore
import Manifests

/// `alerts.secrets`: every Secret a Flux notification Provider or Alertmanager names exists,
/// encrypted with SOPS, in the repository.
struct AlertSecretsRule: Rule {
    static let description = RuleDescription(
        id: "alerts.secrets",
        summary: "Every Secret named by a Flux notification Provider (spec.secretRef, spec.certSecretRef), an Alertmanager (spec.secrets, or alertmanager.alertmanagerSpec.secrets in a HelmRelease's values) or an AlertmanagerConfig (a {name, key} selector) exists under cluster/kubernetes in the same namespace as a SOPS-encrypted Secret.",
        rationale: "Contract 10: credentials are SOPS files. A receiver whose credential is missing fails only when the first alert fires, which is exactly when nobody is told; a credential committed in plaintext leaks the channel.",
        contractSections: ["10"],
        nonTriggeringExamples: [
            RuleExample("a Provider and an Alertmanager with their encrypted Secrets", files: [
                "cluster/kubernetes/platform/monitoring/notifications.yaml": "apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\nmetadata:\n  name: slack\n  namespace: monitoring\nspec:\n  type: slack\n  secretRef:\n    name: slack-webhook\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: kube-prometheus-stack\n  namespace: monitoring\nspec:\n  values:\n    alertmanager:\n      alertmanagerSpec:\n        secrets:\n          - alert-receiver\n",
                "cluster/kubernetes/platform/monitoring/slack-webhook.sops.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: slack-webhook\n  namespace: monitoring\nstringData:\n  address: ENC[AES256_GCM,data:xxxx,type:str]\nsops:\n  mac: x\n",
                "cluster/kubernetes/platform/monitoring/alert-receiver.sops.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: alert-receiver\n  namespace: monitoring\nstringData:\n  url: ENC[AES256_GCM,data:xxxx,type:str]\nsops:\n  mac: x\n",
            ]),
            RuleExample("a Provider without a secret (in-cluster Alertmanager)", files: [
                "cluster/kubernetes/platform/monitoring/flux-alerts.yaml": "apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\nmetadata:\n  name: alertmanager\n  namespace: monitoring\nspec:\n  type: alertmanager\n  address: http://alertmanager-operated.monitoring.svc:9093/api/v2/alerts/\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a Provider's secret that does not exist and an Alertmanager secret in plaintext", files: [
                "cluster/kubernetes/platform/monitoring/notifications.yaml": "apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\nmetadata:\n  name: discord\n  namespace: monitoring\nspec:\n  type: discord\n  secretRef:\n    name: ↓discord-webhook\n---\napiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata:\n  name: main\n  namespace: monitoring\nspec:\n  secrets:\n    - ↓alert-receiver\n",
                "cluster/kubernetes/platform/monitoring/alert-receiver.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: alert-receiver\n  namespace: monitoring\nstringData:\n  url: https://hooks.example.invalid/placeholder\n",
            ]),
            RuleExample("an AlertmanagerConfig selector naming a secret of another namespace", files: [
                "cluster/kubernetes/platform/monitoring/routes.yaml": "apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\nmetadata:\n  name: pushover\n  namespace: monitoring\nspec:\n  receivers:\n    - name: pushover\n      pushoverConfigs:\n        - userKey:\n            name: ↓pushover\n            key: user-key\n",
                "cluster/kubernetes/apps/demo/pushover.sops.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pushover\n  namespace: demo\nstringData:\n  user-key: ENC[AES256_GCM,data:xxxx,type:str]\nsops:\n  mac: x\n",
            ]),
        ]
    )

    static let root = "cluster/kubernetes"

    /// A Secret name written in a manifest, with where it was written.
    struct Reference {
        var name: String
        var namespace: String
        var node: YAMLNode
        var path: String
        var owner: String
    }

    func check(_ context: RuleContext) -> [Finding] {
        let documents = context.objects(under: Self.root)
        var secrets: [String: ManifestDocument] = [:]
        for document in documents where document.kind == "Secret" {
            guard let name = document.name else { continue }
            let key = "\(document.namespace ?? PersistentClaim.appNamespace(document.path) ?? "")/\(name)"
            // An encrypted copy wins over a plaintext one of the same name.
            if secrets[key]?.isSOPSEncrypted != true { secrets[key] = document }
        }
        return documents.flatMap(Self.references).compactMap { reference -> Finding? in
            guard let secret = secrets["\(reference.namespace)/\(reference.name)"] else {
                return finding("\(reference.owner) names Secret '\(reference.name)', which no SOPS file declares in namespace '\(reference.namespace)'; create it with `homeport secrets` (a placeholder is fine until the credential exists), encrypted beside its consumer",
                               at: reference.path, mark: reference.node.mark)
            }
            guard secret.isSOPSEncrypted else {
                return finding("\(reference.owner) names Secret '\(reference.name)', but \(secret.path) holds it in plaintext; encrypt it with SOPS (`homeport secrets encrypt`) and rotate the credential",
                               at: reference.path, mark: reference.node.mark)
            }
            return nil
        }
    }

    /// The Secret names a notification object writes.
    static func references(_ document: ManifestDocument) -> [Reference] {
        let namespace = document.namespace ?? PersistentClaim.appNamespace(document.path) ?? ""
        let owner = "\(document.kind ?? "?") '\(document.name ?? "?")'"
        func reference(_ node: YAMLNode?) -> Reference? {
            guard let node, let name = node.string else { return nil }
            return Reference(name: name, namespace: namespace, node: node, path: document.path, owner: owner)
        }
        let apiGroup = document.apiVersion?.split(separator: "/").first.map(String.init) ?? ""
        switch (apiGroup, document.kind) {
        case ("notification.toolkit.fluxcd.io", "Provider"):
            return ["spec.secretRef.name", "spec.certSecretRef.name"].compactMap { reference(document.root[path: $0]) }
        case ("monitoring.coreos.com", "Alertmanager"):
            return (document.root[path: "spec.secrets"]?.sequence?.items ?? []).compactMap { reference($0) }
        case ("helm.toolkit.fluxcd.io", "HelmRelease"):
            return (document.root[path: "spec.values.alertmanager.alertmanagerSpec.secrets"]?.sequence?.items ?? []).compactMap { reference($0) }
        case ("monitoring.coreos.com", "AlertmanagerConfig"):
            // Prometheus Operator's SecretKeySelector: a mapping of exactly `name` and `key`.
            var found: [Reference] = []
            document.root[path: "spec"]?.walk { _, node in
                guard let mapping = node.mapping, mapping.entries.count == 2, node["key"]?.string != nil,
                      let selected = reference(node["name"]) else { return }
                found.append(selected)
            }
            return found
        default:
            return []
        }
    }
}
