import HomeportCore
import Manifests
import SOPSFormat

/// `secrets.sops-config`: `.sops.yaml` exists, its recipients are valid age keys, and every
/// encrypted file is encrypted to the recipients its rule names.
struct SOPSConfigRule: Rule {
    static let recipient = "age16he7ymgl9q4l22je480yyc9wtfhzh4jppqyx5v79q8a26gyydy0sn9grgq"
    static let otherRecipient = "age1y6nkpkdhnqtyvxmsxkf5rpj09mqaj3xl6a3dyhq9jxyggyllnqfq7n55jz"

    static let description = RuleDescription(
        id: "secrets.sops-config",
        summary: ".sops.yaml exists at the root when the repo holds SOPS files or Secrets, its age recipients are valid age1 keys, and every encrypted file is encrypted to exactly the recipients its creation rule names.",
        rationale: "Contract 10: SOPS with age is how secrets are kept; a missing or mistyped recipient means nobody (or the wrong person) can decrypt, and a file still encrypted to an old recipient survives a key rotation.",
        contractSections: ["10"],
        nonTriggeringExamples: [
            RuleExample("no secrets, no config needed", files: ["README.md": "hello\n"]),
            RuleExample("valid config", files: [
                ".sops.yaml": "creation_rules:\n  - path_regex: .*\\.sops\\.ya?ml$\n    age: \(recipient)\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a recipient with a typo", files: [
                ".sops.yaml": "creation_rules:\n  - path_regex: .*\\.sops\\.ya?ml$\n    key_groups:\n      - age:\n          - \(recipient)\n↓          - age16he7ymgl9q4l22je480yyc9wtfhzh4jppqyx5v79q8a26gyydy0sn9grgp\n",
            ]),
            RuleExample("no config", files: [
                "cluster/kubernetes/apps/demo/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\nstringData:\n  a: b\n",
            ], expectedPaths: [".sops.yaml"]),
            RuleExample("encrypted to other recipients", files: [
                ".sops.yaml": "creation_rules:\n  - path_regex: .*\\.sops\\.ya?ml$\n    age: \(recipient)\n",
                "cluster/kubernetes/apps/demo/secret.sops.yaml": """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: demo
                stringData:
                  a: ENC[AES256_GCM,data:QIeaWrM=,iv:J+FNMPN0zuEyPZHsQS4q6QYGNCgFCY6vQRevflgVGX4=,tag:qJ6a2fXOSknQ5UUeSbTXWw==,type:str]
                ↓sops:
                  age:
                    - recipient: \(otherRecipient)
                      enc: armored
                  lastmodified: "2026-01-01T00:00:00Z"
                  mac: ENC[AES256_GCM,data:QQ==,iv:J+FNMPN0zuEyPZHsQS4q6QYGNCgFCY6vQRevflgVGX4=,tag:qJ6a2fXOSknQ5UUeSbTXWw==,type:str]
                  encrypted_regex: ^(data|stringData)$
                  version: 3.11.0

                """,
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        let view = SecretsView(context)
        let configPath = SecretsView.configPath
        let encrypted = view.encryptedFiles()
        guard let configFile = context.snapshot.file(configPath) else {
            let hasSecrets = !encrypted.isEmpty || context.snapshot.files.contains { $0.isYAML && !SecretsView.secretDocuments($0).isEmpty }
            return hasSecrets ? [finding("the repository holds SOPS files or Secrets but no .sops.yaml at its root; add creation rules with age recipients (`homeport init` writes one)", at: configPath)] : []
        }
        guard let config = view.config else {
            return [finding(".sops.yaml is not readable UTF-8 text", at: configPath)]
        }
        var findings: [Finding] = config.problems.map {
            finding(".sops.yaml \($0.message)", at: configFile.path, mark: $0.mark)
        }
        for rule in config.rules {
            if rule.allRecipients.isEmpty {
                let others = rule.keyGroups.flatMap(\.otherKeyTypes)
                let note = others.isEmpty ? "" : " (it uses \(others.joined(separator: ", ")), which homeport does not support)"
                findings.append(finding("creation rule \(rule.index + 1) names no age recipient\(note); add an `age:` recipient", at: configPath, mark: rule.mark))
            }
            for recipient in rule.allRecipients {
                do { _ = try AgeKeyText.recipientKey(recipient.value) } catch {
                    findings.append(finding("recipient '\(Redaction.redact(recipient.value))' \(error); copy it again from `homeport secrets keygen` or the key file's '# public key:' line",
                                            at: configPath, line: recipient.mark?.line ?? rule.mark.line))
                }
            }
            if let threshold = rule.shamirThreshold, threshold < 1 || threshold > max(rule.keyGroups.count, 1) {
                findings.append(finding("shamir_threshold \(threshold) must be between 1 and the number of key groups (\(rule.keyGroups.count))", at: configPath, mark: rule.mark))
            }
        }
        for (file, status) in encrypted {
            guard let metadata = status.metadata else { continue }
            let line = status.metadataLine ?? 1
            guard let rule = config.rule(for: file.path) else {
                findings.append(finding("no creation rule of .sops.yaml matches this encrypted file, so `homeport secrets updatekeys` cannot keep its recipients current; add a rule whose path_regex matches it",
                                        at: file.path, line: line))
                continue
            }
            let wanted = rule.keyGroups.map { Set($0.age.map(\.value)) }.filter { !$0.isEmpty }
            let actual = metadata.keyGroups.map { Set($0.age.map(\.recipient)) }.filter { !$0.isEmpty }
            if Set(wanted) != Set(actual) || wanted.count != actual.count {
                let missing = Set(wanted.flatMap { $0 }).subtracting(actual.flatMap { $0 })
                let extra = Set(actual.flatMap { $0 }).subtracting(wanted.flatMap { $0 })
                var parts: [String] = []
                if !missing.isEmpty { parts.append("missing \(missing.sorted().joined(separator: ", "))") }
                if !extra.isEmpty { parts.append("still encrypted to \(extra.sorted().joined(separator: ", "))") }
                if parts.isEmpty { parts.append("its key groups differ") }
                findings.append(finding("encrypted to other recipients than creation rule \(rule.index + 1) of .sops.yaml names (\(parts.joined(separator: "; "))); run `homeport secrets updatekeys \(file.path)`",
                                        at: file.path, line: line))
            }
        }
        return findings
    }
}
