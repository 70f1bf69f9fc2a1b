import HomeportCore
import Manifests

/// `secrets.plaintext`: no credentials or key material in plain text anywhere in git.
struct PlaintextRule: Rule {
    static let description = RuleDescription(
        id: "secrets.plaintext",
        summary: "No private keys, age identities, tokens, kubeconfig/talosconfig material, Talos bundle secrets or credential values in plain text in any tracked file; random-looking strings are warnings.",
        rationale: "Contract 1.4 and 10: no secrets in plaintext. Secrets are committed only SOPS-encrypted; key material and cluster access files stay local.",
        contractSections: ["1.4", "10"],
        nonTriggeringExamples: [
            RuleExample("helm values that reference secrets", files: [
                "cluster/kubernetes/apps/demo/helmrelease.yaml": """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: demo
                spec:
                  values:
                    auth:
                      existingSecret: demo-secret
                      password: ${DEMO_PASSWORD}
                    image:
                      digest: sha256:4f7b3a2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a

                """,
            ]),
            RuleExample("references to secrets, placeholders and an encoded image", files: [
                "cluster/kubernetes/apps/runners/helmrelease.yaml": """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata:
                  name: runners
                spec:
                  values:
                    githubConfigSecret: runner-secret
                    oidc:
                      clientSecretKey: OIDC_CLIENT_SECRET
                    postgres:
                      superuserSecret: postgres-superuser
                    meili:
                      masterkeySecretKey: masterkey
                    backup:
                      password: op://homelab/runners/backup
                      url: https://x-access-token:{TOKEN}@github.com/example/repo.git
                    icon: UklGRmYAAABXRUJQVlA4TFoAAAA2foqClSXmm+7LyTyGcqG3hbhMUoxUBSM+rA4qjGjDzuAw

                """,
            ]),
            RuleExample("documentation naming a key header", files: [
                // Split so that the source itself never holds a key header a scanner would stop at.
                "docs/keys.md": "Never commit a file that starts with -----BEGIN OPENSSH PRIVATE" + " KEY-----.\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("password in helm values", files: [
                "cluster/kubernetes/apps/demo/helmrelease.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: demo\nspec:\n  values:\n    admin:\n↓      password: Tr0ub4dor-and-3\n",
            ]),
            RuleExample("a client secret beside a reference to one", files: [
                "cluster/kubernetes/apps/runners/helmrelease.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: runners\nspec:\n  values:\n    oidc:\n      clientSecretKey: OIDC_CLIENT_SECRET\n↓      clientSecret: Qm7vR2xLp9KwT4sZ\n",
            ]),
            RuleExample("private key block", files: [
                // Split so that this source file does not hold a key header itself.
                "scripts/deploy_key": "↓-----BEGIN OPENSSH " + "PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n",
            ]),
            RuleExample("kubeconfig token", files: [
                "config/kubeconfig.yaml": "apiVersion: v1\nkind: Config\nusers:\n  - name: admin\n    user:\n↓      token: 9f8e7d6c5b4a39281706f5e4d3c2b1a0\n",
            ]),
            RuleExample("password in an env file", files: [
                "scripts/local.env": "USER=admin\n↓DB_PASSWORD=Xk9#mQ2$vL7pR4wZ\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let view = SecretsView(context)
        let secretNames = view.definedSecretNames()
        for file in context.snapshot.files {
            guard file.text != nil else { continue }
            // Lines talos.no-inline-secrets already reports are left to it.
            var talosLines: Set<Int> = []
            if file.isYAML {
                for document in file.documents where !document.isSOPSEncrypted {
                    for hit in TalosSecretFields.hits(in: document.root, path: file.path) { talosLines.insert(hit.mark.line) }
                }
            }
            // A file .sops.yaml names is reported whole by secrets.sops-encrypted; only key
            // material in it is reported here too.
            let named = view.namingRule(for: file.path) != nil
            for hit in PlaintextScanner.scan(file, skipLines: talosLines, structure: !named, secretNames: secretNames) {
                let what = hit.value.map { "\(hit.what) in plain text (\(Redaction.redact($0)))" } ?? "\(hit.what) in plain text"
                let advice = hit.severity == .error
                    ? "remove it (rotate it: it is in git history) and keep it SOPS-encrypted or local"
                    : "if it is a secret, move it into a SOPS-encrypted file; if not, allow it with `# homeport:allow secrets.plaintext`"
                findings.append(Finding(ruleID: Self.description.id, severity: hit.severity,
                                        location: SourceLocation(path: file.path, line: hit.line),
                                        message: "\(what); \(advice)"))
            }
        }
        return findings
    }
}
