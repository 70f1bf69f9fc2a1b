import HomeportCore
import Manifests

/// `secrets.alongside`: a SOPS secret lives in the folder of the app or platform concern
/// that consumes it.
struct AlongsideRule: Rule {
    static let description = RuleDescription(
        id: "secrets.alongside",
        summary: "A SOPS-encrypted secret under cluster/kubernetes lives in the app or platform-concern folder of its consumer: not in flux/ (unless it is flux-system's), not in a shared secrets/ folder, not in another app's folder.",
        rationale: "Contract 10 and 2.1: one app = one folder = one namespace; a secret kept beside its consumer is reconciled, reviewed and deleted with it.",
        contractSections: ["10", "2.1"],
        nonTriggeringExamples: [
            RuleExample("secret in its app folder", files: [
                "cluster/kubernetes/apps/demo/secret.sops.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\n  namespace: demo\nsops:\n  mac: x\n",
            ]),
            RuleExample("flux-system's own secret", files: [
                "cluster/kubernetes/flux/git-credentials.sops.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: git\n  namespace: flux-system\nsops:\n  mac: x\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("shared secrets folder", files: [
                "cluster/kubernetes/apps/secrets/demo.sops.yaml": "↓apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\n  namespace: demo\nsops:\n  mac: x\n",
            ]),
            RuleExample("app secret under flux", files: [
                "cluster/kubernetes/flux/demo.sops.yaml": "↓apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\n  namespace: demo\nsops:\n  mac: x\n",
            ]),
            RuleExample("secret in another app's folder", files: [
                "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
                "cluster/kubernetes/apps/other/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n",
                "cluster/kubernetes/apps/other/demo.sops.yaml": "↓apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\n  namespace: demo\nsops:\n  mac: x\n",
            ]),
        ]
    )

    static let root = "cluster/kubernetes"

    func check(_ context: RuleContext) -> [Finding] {
        // Which folder declares each namespace (apps/<app> or platform/<concern>).
        var namespaceOwner: [String: String] = [:]
        for document in context.objects(under: Self.root) where document.kind == "Namespace" {
            if let name = document.name, let folder = Self.ownerFolder(document.path) { namespaceOwner[name] = folder }
        }
        var findings: [Finding] = []
        for file in context.snapshot.files(under: Self.root) {
            guard let text = file.text else { continue }
            let documents = file.isYAML ? file.documents : []
            let isSOPS = documents.contains { $0.isSOPSEncrypted } || (!file.isYAML && (text.contains("sops_mac=") || text.contains("[sops]") || text.contains("\"sops\"")))
            guard isSOPS else { continue }
            let line = documents.first?.root.mark.line ?? 1
            let namespace = documents.compactMap(\.namespace).first
            let relative = file.path.dropFirst(Self.root.count + 1)
            let components = relative.split(separator: "/").map(String.init)
            guard let area = components.first else { continue }
            switch area {
            case "flux":
                if namespace != "flux-system" {
                    findings.append(finding("a SOPS secret for namespace '\(namespace ?? "(none)")' sits in the Flux entrypoint; only flux-system's own secrets belong there: move it to the folder of the app or platform concern that uses it",
                                            at: file.path, line: line))
                }
            case "apps", "platform":
                guard components.count >= 3 else {
                    findings.append(finding("a SOPS secret directly in \(Self.root)/\(area)/; move it into the folder of the \(area == "apps" ? "app" : "platform concern") that uses it",
                                            at: file.path, line: line))
                    continue
                }
                let owner = components[1]
                if ["secrets", "secret", "shared-secrets", "common"].contains(owner) {
                    findings.append(finding("a shared '\(owner)/' folder of secrets; move each secret into the folder of the \(area == "apps" ? "app" : "platform concern") that uses it",
                                            at: file.path, line: line))
                    continue
                }
                let folder = "\(Self.root)/\(area)/\(owner)"
                if let namespace, let ownerFolder = namespaceOwner[namespace], ownerFolder != folder {
                    findings.append(finding("a SOPS secret for namespace '\(namespace)' sits in \(folder), but \(ownerFolder) declares that namespace; move it there",
                                            at: file.path, line: line))
                }
            default:
                findings.append(finding("a SOPS secret outside apps/, platform/ and flux/; move it into the folder of the app or platform concern that uses it",
                                        at: file.path, line: line))
            }
        }
        return findings
    }

    /// `cluster/kubernetes/apps/<app>` or `…/platform/<concern>` holding a path.
    static func ownerFolder(_ path: String) -> String? {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 5, parts[0] == "cluster", parts[1] == "kubernetes", parts[2] == "apps" || parts[2] == "platform" else { return nil }
        return parts[0...3].joined(separator: "/")
    }
}
