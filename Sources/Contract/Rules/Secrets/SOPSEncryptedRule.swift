import HomeportCore
import Manifests
import SOPSFormat

/// `secrets.sops-encrypted`: every Secret, and every file `.sops.yaml` names, is encrypted.
struct SOPSEncryptedRule: Rule {
    static let description = RuleDescription(
        id: "secrets.sops-encrypted",
        summary: "Every Kubernetes Secret, and every file a .sops.yaml rule names, is SOPS-encrypted: sops metadata with a MAC and age recipients, and every value its rule selects is ENC[…].",
        rationale: "Contract 1.4 and 10: secrets are committed only encrypted with SOPS and age; a Secret or a file .sops.yaml names that is plain text in git is a leaked secret.",
        contractSections: ["1.4", "10"],
        nonTriggeringExamples: [
            RuleExample("encrypted secret", files: [
                "cluster/kubernetes/apps/demo/secret.sops.yaml": """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: demo
                stringData:
                  password: ENC[AES256_GCM,data:QIeaWrM=,iv:J+FNMPN0zuEyPZHsQS4q6QYGNCgFCY6vQRevflgVGX4=,tag:qJ6a2fXOSknQ5UUeSbTXWw==,type:str]
                sops:
                  age:
                    - recipient: age1example
                      enc: armored
                  lastmodified: "2026-01-01T00:00:00Z"
                  mac: ENC[AES256_GCM,data:QQ==,iv:J+FNMPN0zuEyPZHsQS4q6QYGNCgFCY6vQRevflgVGX4=,tag:qJ6a2fXOSknQ5UUeSbTXWw==,type:str]
                  encrypted_regex: ^(data|stringData)$
                  version: 3.11.0

                """,
            ]),
            RuleExample("secret without values", files: [
                "cluster/kubernetes/apps/demo/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\ndata: {}\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("plain secret", files: [
                "cluster/kubernetes/apps/demo/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\nstringData:\n↓  password: hunter2\n",
            ]),
            RuleExample("file a rule names", files: [
                ".sops.yaml": "creation_rules:\n  - path_regex: .*\\.sops\\.env$\n    age: age1example\n",
                "infrastructure/proxmox/token.sops.env": "↓TOKEN=abc\n",
            ]),
            RuleExample("plain value in an encrypted file", files: [
                "cluster/kubernetes/apps/demo/secret.sops.yaml": """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: demo
                stringData:
                  a: ENC[AES256_GCM,data:QIeaWrM=,iv:J+FNMPN0zuEyPZHsQS4q6QYGNCgFCY6vQRevflgVGX4=,tag:qJ6a2fXOSknQ5UUeSbTXWw==,type:str]
                ↓  b: added-later
                sops:
                  age:
                    - recipient: age1example
                      enc: armored
                  lastmodified: "2026-01-01T00:00:00Z"
                  mac: ENC[AES256_GCM,data:QQ==,iv:J+FNMPN0zuEyPZHsQS4q6QYGNCgFCY6vQRevflgVGX4=,tag:qJ6a2fXOSknQ5UUeSbTXWw==,type:str]
                  encrypted_regex: ^(data|stringData)$
                  version: 3.11.0

                """,
            ]),
            RuleExample("metadata without a MAC", files: [
                "cluster/kubernetes/apps/demo/secret.sops.yaml": """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: demo
                stringData:
                  a: ENC[AES256_GCM,data:QIeaWrM=,iv:J+FNMPN0zuEyPZHsQS4q6QYGNCgFCY6vQRevflgVGX4=,tag:qJ6a2fXOSknQ5UUeSbTXWw==,type:str]
                ↓sops:
                  age: []
                  version: 3.11.0

                """,
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        let view = SecretsView(context)
        var findings: [Finding] = []
        for file in context.snapshot.files where file.path != SecretsView.configPath {
            guard let text = file.text else { continue }
            let rule = view.namingRule(for: file.path)
            let secrets = file.isYAML ? SecretsView.secretDocuments(file) : []
            let hasBlock = SecretsView.mayHaveSOPSBlock(file, text: text)
            guard rule != nil || !secrets.isEmpty || hasBlock else { continue }
            guard let status = SecretsView.status(file) else { continue }  // k8s.parse reports broken YAML
            if let problem = status.metadataProblem {
                findings.append(finding("the sops metadata is unusable (\(problem)); re-encrypt with `homeport secrets encrypt --in-place \(file.path)`",
                                        at: file.path, line: status.metadataLine ?? 1))
                continue
            }
            if let metadata = status.metadata {
                if metadata.recipients.isEmpty {
                    findings.append(finding("the sops metadata names no age recipient, so no age key can decrypt it; run `homeport secrets updatekeys \(file.path)`",
                                            at: file.path, line: status.metadataLine ?? 1))
                }
                for value in status.plainValues(selection: metadata.effectiveSelection) {
                    findings.append(finding("\(SecretsView.dotted(value.path)) is plain text in a SOPS file whose metadata says it is encrypted; run `homeport secrets edit \(file.path)` to re-encrypt it",
                                            at: file.path, line: value.line ?? 1))
                }
                continue
            }
            // Not encrypted at all.
            let selection = rule?.effectiveSelection ?? SecretsView.fluxSelection
            // A Secret template whose values only refer to a secret manager holds no secret.
            let plain = status.plainValues(selection: selection).filter { rule != nil || !$0.isReference }
            let why = rule.map { "creation rule \($0.index + 1) of .sops.yaml names this file" } ?? "it holds a Kubernetes Secret"
            if let first = plain.first {
                findings.append(finding("not SOPS-encrypted, but \(why): \(plain.count) plain value(s), first \(SecretsView.dotted(first.path)); run `homeport secrets encrypt --in-place \(file.path)`",
                                        at: file.path, line: first.line ?? 1))
            } else if rule != nil, !text.isEmpty {
                findings.append(finding("not SOPS-encrypted, but \(why); run `homeport secrets encrypt --in-place \(file.path)`", at: file.path, line: 1))
            }
        }
        return findings
    }
}
