import Foundation
import ClusterSpec
import HomeportCore
import Manifests

/// `config.no-secrets`: nothing secret anywhere in config/.
struct ConfigNoSecretsRule: Rule {
    // Secret-shaped literals are assembled from pieces so that this file itself is not one.
    static let agePrefix = "AGE-SECRET-" + "KEY-1"
    static let privateKeyMarker = "PRIVATE " + "KEY-----"

    static let description = RuleDescription(
        id: "config.no-secrets",
        summary: "Nothing secret in config/: no password, token, secret or API-key values, no private key blocks, no age identities.",
        rationale: "Contract 4: config/ is the plain-text source of truth that scripts read and everyone can see; tokens, passwords and keys go to SOPS-encrypted files or environment variables (the Proxmox token secret: PROXMOX_TOKEN_SECRET or proxmox.tokenSecretFile). Identifiers such as tokenID are not secret.",
        contractSections: ["4", "10"],
        nonTriggeringExamples: [
            RuleExample("token id, secret file reference, empty and variable values", files: [
                "config/clusters/lab.yaml": "proxmox:\n  tokenID: homeport@pve!homeport\n  tokenSecretFile: infrastructure/proxmox/token.sops.yaml\nnas:\n  password: \"\"\n",
                "config/env/lab.env": "PROXMOX_TOKEN_ID='homeport@pve!homeport'\nPROXMOX_TOKEN_SECRET=\nNAS_PASSWORD=${NAS_PASSWORD}\n",
                "config/env/README.md": "Secrets such as PROXMOX_TOKEN_SECRET live in the environment, never here.\n",
            ]),
        ],
        triggeringExamples: [
            RuleExample("a token secret in an env file", files: [
                "config/env/lab.env": "CLUSTER_NAME=lab\nPROXMOX_TOKEN_SECRET=↓" + "0d5c7a2e-4b1f-4f7e-9c3a-" + "2b8e6f1d9a40\n",
            ]),
            RuleExample("a password in YAML", files: [
                "config/clusters/lab.yaml": "name: lab\nnfs:\n  server: 10.0.0.5\n  password: ↓" + "s3cr3t-" + "nas-pass\n",
            ]),
            RuleExample("an age identity and a private key", files: [
                "config/keys.txt": "# created: 2026-01-01\n↓" + agePrefix + String(repeating: "Q", count: 58) + "\n",
                "config/proxmox/ca.pem": "↓-----BEGIN " + privateKeyMarker + "\nMIIB\n-----END " + privateKeyMarker + "\n",
            ]),
        ]
    )

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for file in context.snapshot.files(under: "config") {
            guard let text = file.text else { continue }
            if file.isYAML, let stream = file.yaml {
                for document in stream.documents {
                    findings += secretValues(in: document, path: file.path)
                }
            } else if file.fileExtension == "env" || file.name.hasPrefix(".env") {
                findings += secretAssignments(in: file)
            }
            findings += secretBlocks(in: text, path: file.path)
        }
        return findings
    }

    /// Scalar values under secret-like keys, at any depth.
    private func secretValues(in root: YAMLNode, path: String) -> [Finding] {
        var findings: [Finding] = []
        func visit(_ node: YAMLNode) {
            switch node {
            case .scalar:
                break
            case .sequence(let sequence):
                sequence.items.forEach(visit)
            case .mapping(let mapping):
                for entry in mapping.entries {
                    if let key = entry.key.scalar?.value, SecretKeyName.isSecretLike(key),
                       let scalar = entry.value.scalar, scalar.kind != .bool, scalar.kind != .null,
                       let message = Self.problem(key: key, value: scalar.value) {
                        findings.append(finding(message, at: path, mark: scalar.mark))
                    }
                    visit(entry.value)
                }
            }
        }
        visit(root)
        return findings
    }

    /// `KEY=value` lines (optionally `export KEY=value`) with a secret-like key and a value.
    private func secretAssignments(in file: RepoFile) -> [Finding] {
        var findings: [Finding] = []
        for (index, line) in file.lines.enumerated() {
            var assignment = line.drop { $0 == " " || $0 == "\t" }
            guard !assignment.hasPrefix("#") else { continue }
            if assignment.hasPrefix("export ") { assignment = assignment.dropFirst("export ".count) }
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            let key = assignment[..<equals].trimmingCharacters(in: .whitespaces)
            var value = assignment[assignment.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard SecretKeyName.isSecretLike(key), let message = Self.problem(key: key, value: value) else { continue }
            let column = line.distance(from: line.startIndex, to: assignment.index(after: equals)) + 1
            findings.append(finding(message, at: file.path, line: index + 1, column: column))
        }
        return findings
    }

    /// Private key blocks and age identities, in any text file.
    private func secretBlocks(in text: String, path: String) -> [Finding] {
        guard text.contains(Self.agePrefix) || text.contains(Self.privateKeyMarker) else { return [] }
        var findings: [Finding] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: "-----BEGIN "), line.contains(Self.privateKeyMarker) {
                findings.append(finding("a private key block is in config/; keep private keys out of the repository or SOPS-encrypt them next to their consumer",
                                        at: path, line: index + 1, column: line.distance(from: line.startIndex, to: range.lowerBound) + 1))
            }
            if let range = line.range(of: Self.agePrefix) {
                let identity = line[range.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
                // A real identity has a 58-character Bech32 payload; a mention in prose does not.
                guard identity.count >= Self.agePrefix.count + 50 else { continue }
                findings.append(finding("an age identity (\(Redaction.redact(String(identity)))) is in config/; it belongs in ~/.config/sops/age/keys.txt, never in git",
                                        at: path, line: index + 1, column: line.distance(from: line.startIndex, to: range.lowerBound) + 1))
            }
        }
        return findings
    }

    /// The finding message for a secret-like key's value, or nil when the value is no secret
    /// (empty, or a reference to an environment variable).
    static func problem(key: String, value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !isVariableReference(trimmed) else { return nil }
        if trimmed.hasPrefix("ENC[") {
            return "\(key) holds a SOPS-encrypted value; config/ holds no secrets, even encrypted ones: move it next to the app or platform concern that uses it"
        }
        return "\(key) holds a secret value (\(Redaction.redact(trimmed))); config/ holds no secrets: keep it in an environment variable or a SOPS-encrypted file and reference that"
    }

    /// `${NAME}`, `${NAME:-default}` or `$NAME`.
    static func isVariableReference(_ value: String) -> Bool {
        guard value.hasPrefix("$"), value.count > 1 else { return false }
        if value.hasPrefix("${") { return value.hasSuffix("}") }
        return value.dropFirst().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
