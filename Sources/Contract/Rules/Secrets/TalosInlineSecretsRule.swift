import HomeportCore
import Manifests

/// `talos.no-inline-secrets`: no Talos CA keys, tokens or cluster secrets in git.
struct TalosInlineSecretsRule: Rule {
    static let description = RuleDescription(
        id: "talos.no-inline-secrets",
        summary: "No Talos machine-config secrets (CA keys, machine/cluster tokens, secretbox/aescbc secrets, cluster.secret, trustd token) with real values in cluster/talos or anywhere in git.",
        rationale: "Contract 2.1 and 10: Talos machine secrets are generated and stored locally (.talos/, gitignored); cluster/talos holds only patches and inputs. A committed CA key or token hands over the cluster.",
        contractSections: ["2.1", "10"],
        nonTriggeringExamples: [
            RuleExample("patch without secrets", files: [
                "cluster/talos/patches/controlplane.yaml": "machine:\n  network:\n    hostname: cp-1\ncluster:\n  allowSchedulingOnControlPlanes: true\n",
            ]),
            RuleExample("substituted token", files: [
                "cluster/talos/patches/token.yaml": "machine:\n  token: ${MACHINE_TOKEN}\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("machine token and CA key", files: [
                "cluster/talos/controlplane.yaml": "version: v1alpha1\nmachine:\n↓  token: q8r4ab.8w1fuvmfl5h3lbqz\n  ca:\n    crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n↓    key: LS0tLS1CRUdJTiBFRDI1NTE5IFBSSVZBVEUgS0VZLS0tLS0K\n",
            ]),
            RuleExample("json patch with a cluster secret", files: [
                "cluster/talos/patches/secret.yaml": "- op: add\n  path: /cluster/secretboxEncryptionSecret\n↓  value: 6AvhVAbEuzO7bI3I8cn2Sl0rFdu1qtJ7Z7CDuoNc7yY=\n",
            ]),
            RuleExample("a rendered config elsewhere", files: [
                "infrastructure/worker.yaml": "machine:\n  type: worker\ncluster:\n↓  secret: 3Be0DAkaTiQRxzt6fYVpd9uA1Bl2l5jEFHq3OS7T8pI=\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for file in context.snapshot.files where file.isYAML {
            for document in file.documents where !document.isSOPSEncrypted {
                for hit in TalosSecretFields.hits(in: document.root, path: file.path) {
                    findings.append(finding("Talos secret \(hit.path.joined(separator: ".")) has a literal value (\(Redaction.redact(hit.value))); keep machine secrets in .talos/ (gitignored) and generate configs with `homeport talos gen`",
                                            at: file.path, line: hit.mark.line))
                }
            }
        }
        return findings
    }
}
