import Foundation
import HomeportCore
import Manifests
import SOPSFormat

/// The tiered plaintext-secret scanner behind `secrets.plaintext`: structure first (key
/// material, cluster access files, Talos bundles), then keyed values where configuration
/// lives, then random-looking strings as warnings. Hits carry a redacted prefix only.
struct PlaintextScanner {
    struct Hit {
        var line: Int
        var severity: Severity
        /// What was found, e.g. "an age identity".
        var what: String
        /// The secret, for its redacted prefix; nil when the finding is about a whole file.
        var value: String?
    }

    private struct Pattern {
        var what: String
        /// Cheap substrings a match must contain; the regex runs only on lines holding one.
        var keywords: [String]
        var regex: NSRegularExpression?
        var keywordBytes: [[UInt8]] { keywords.map { Array($0.utf8) } }
        /// Extra check on the match (a checksum, a body line).
        var accept: (String) -> Bool
    }

    private static func compile(_ pattern: String) -> NSRegularExpression? {
        // The patterns are constants of this file; the rule's examples fail if one does not compile.
        try? NSRegularExpression(pattern: pattern)
    }

    // Compiled once and only read afterwards.
    nonisolated(unsafe) private static let linePatterns: [Pattern] = [
        Pattern(what: "an age identity (private key)", keywords: ["AGE-SECRET-KEY-1"], regex: compile("AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
                accept: AgeKeyText.isValidIdentity),
        Pattern(what: "a GitHub token", keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], regex: compile("\\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\\b|\\bgithub_pat_[A-Za-z0-9_]{60,}"), accept: { _ in true }),
        Pattern(what: "a GitLab token", keywords: ["glpat-"], regex: compile("\\bglpat-[A-Za-z0-9_-]{20,}"), accept: { _ in true }),
        Pattern(what: "a Slack token", keywords: ["xox"], regex: compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), accept: { _ in true }),
        Pattern(what: "an AWS access key id", keywords: ["AKIA", "ASIA"], regex: compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"), accept: { _ in true }),
        Pattern(what: "a Tailscale key", keywords: ["tskey-"], regex: compile("\\btskey-[a-z]+-[A-Za-z0-9]{8,}-[A-Za-z0-9]{16,}"), accept: { _ in true }),
        Pattern(what: "an API key (sk-…)", keywords: ["sk-"], regex: compile("\\bsk-(proj-|ant-)?[A-Za-z0-9_-]{32,}"), accept: { !SecretValueHeuristics.isPlaceholder($0) }),
        Pattern(what: "a JSON Web Token", keywords: ["eyJ"], regex: compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{16,}"), accept: { _ in true }),
        Pattern(what: "a password in a URL", keywords: ["://"], regex: compile("\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^/\\s:@'\"]{1,64}:[^/\\s@'\"]{3,128}@[A-Za-z0-9.-]+"),
                accept: { match in
                    guard let schemeEnd = match.range(of: "://"), let at = match.lastIndex(of: "@") else { return false }
                    let credentials = match[schemeEnd.upperBound..<at]
                    guard let colon = credentials.firstIndex(of: ":") else { return false }
                    let password = String(credentials[credentials.index(after: colon)...])
                    return !SecretValueHeuristics.isPlaceholder(password) && !["password", "pass", "secret"].contains(password.lowercased())
                }),
    ]

    private static let patternKeywords: [[[UInt8]]] = linePatterns.map(\.keywordBytes)
    private static let privateKeyBytes = Array("PRIVATE KEY".utf8)

    /// Naive byte search: the needles are short and most lines are short.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    private static let privateKeyHeader = compile("-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----")

    /// Every hit in one file. `skipLines` are lines another rule already reports.
    /// `secretNames` are the Secrets the repository defines: a value naming one is a reference.
    static func scan(_ file: RepoFile, skipLines: Set<Int>, structure: Bool = true, secretNames: Set<String> = []) -> [Hit] {
        guard let text = file.text else { return [] }
        var hits: [Hit] = []
        var seenLines = skipLines
        func add(_ hit: Hit) {
            guard seenLines.insert(hit.line).inserted else { return }
            hits.append(hit)
        }
        let lines = file.lines
        if file.name == "keys.txt" || file.fileExtension == "agekey" {
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                add(Hit(line: 1, severity: .error, what: "an age key file (\(file.name))", value: nil))
            }
        }
        // Tier 1: key material and tokens anywhere in any text file. Byte-level keyword checks
        // first: regular expressions run only on the few lines that could match.
        for (index, line) in lines.enumerated() where line.utf8.count >= 16 {
            let bytes = Array(line.utf8)
            let candidates = linePatterns.indices.filter { patternKeywords[$0].contains { Self.contains(bytes, $0) } }
            let maybeKey = Self.contains(bytes, privateKeyBytes)
            guard maybeKey || !candidates.isEmpty else { continue }
            let lineText = String(line)
            let range = NSRange(lineText.startIndex..., in: lineText)
            if maybeKey, let match = privateKeyHeader?.firstMatch(in: lineText, range: range),
               hasKeyBody(lines, after: index), let header = Range(match.range, in: lineText) {
                add(Hit(line: index + 1, severity: .error, what: "a private key block", value: String(lineText[header])))
                continue
            }
            for pattern in candidates.map({ linePatterns[$0] }) {
                if pattern.what == "a password in a URL", !bytes.contains(UInt8(ascii: "@")) { continue }
                guard let match = pattern.regex?.firstMatch(in: lineText, range: range),
                      let matched = Range(match.range, in: lineText) else { continue }
                let value = String(lineText[matched])
                if pattern.accept(value) {
                    add(Hit(line: index + 1, severity: .error, what: pattern.what, value: value))
                    break
                }
            }
        }
        // Tiers 2–4 need structure: YAML documents or dotenv lines, not SOPS files.
        guard structure else { return hits }
        if file.isYAML {
            for document in file.documents where !document.isSOPSEncrypted {
                for hit in structuredHits(document, file: file, secretNames: secretNames) { add(hit) }
            }
        } else if isDotenv(file), !text.contains("sops_mac=") {
            for hit in dotenvHits(lines, secretNames: secretNames) { add(hit) }
        }
        return hits
    }

    /// A PEM header only counts when a base64 body follows (documentation mentions headers).
    private static func hasKeyBody(_ lines: [Substring], after index: Int) -> Bool {
        guard index + 1 < lines.count else {
            return false
        }
        let next = lines[index + 1].trimmingCharacters(in: .whitespaces)
        let body = next.hasPrefix("\"") ? String(next.dropFirst()) : next
        return body.count >= 40 && SecretValueHeuristics.isBase64Like(String(body.prefix(40)))
            || lines[index].contains("\\n") && lines[index].count > 120
    }

    static func isDotenv(_ file: RepoFile) -> Bool {
        file.name == ".env" || file.fileExtension == "env" || file.name.hasPrefix(".env.")
    }

    // MARK: structure

    private static func structuredHits(_ document: ManifestDocument, file: RepoFile, secretNames: Set<String>) -> [Hit] {
        var hits: [Hit] = []
        let root = document.root
        // kubeconfig: users[].user.{client-key-data, token, password}
        if document.kind == "Config", let users = root["users"]?.sequence?.items {
            for user in users {
                for key in ["client-key-data", "token", "password"] {
                    if let node = user["user"]?[key], let hit = literalHit(node, what: "kubeconfig \(key)") { hits.append(hit) }
                }
            }
        }
        // talosconfig: contexts.<name>.key
        if let contexts = root["contexts"]?.mapping, root["context"] != nil {
            for entry in contexts.entries {
                if let node = entry.value["key"], let hit = literalHit(node, what: "talosconfig client key") { hits.append(hit) }
            }
        }
        // Talos secrets bundle: secrets.* and certs.*.key
        if root["certs"]?.mapping != nil || root["trustdinfo"] != nil, let secrets = root["secrets"]?.mapping {
            for entry in secrets.entries {
                if let hit = literalHit(entry.value, what: "Talos bundle secrets.\(entry.key.scalar?.value ?? "")") { hits.append(hit) }
            }
            for entry in root["certs"]?.mapping?.entries ?? [] {
                if let node = entry.value["key"], let hit = literalHit(node, what: "Talos bundle certs.\(entry.key.scalar?.value ?? "").key") { hits.append(hit) }
            }
        }
        let isSecret = document.kind == "Secret"
        // Keyed values where configuration lives.
        var keyedRoots: [YAMLNode] = []
        if document.kind == "HelmRelease", let values = root[path: "spec.values"] { keyedRoots.append(values) }
        if document.kind == "ConfigMap", let data = root["data"] { keyedRoots.append(data) }
        if file.name.hasPrefix("values") { keyedRoots.append(root) }
        for keyed in keyedRoots {
            keyed.walk { path, node in
                guard let key = path.last, SecretValueHeuristics.isSecretKeyName(key), let scalar = node.scalar,
                      scalar.kind == .string, !SecretValueHeuristics.isPlaceholder(scalar.value),
                      !SecretReferenceHeuristics.isReference(key: key, value: scalar.value, secretNames: secretNames) else { return }
                hits.append(keyedHit(scalar.value, line: scalar.mark.line, key: key))
            }
        }
        // kustomize secretGenerator literals are secrets by definition.
        if document.kind == "Kustomization", let generators = root["secretGenerator"]?.sequence?.items {
            for generator in generators {
                for literal in generator["literals"]?.sequence?.items ?? [] {
                    guard let text = literal.string, let equals = text.firstIndex(of: "=") else { continue }
                    let value = String(text[text.index(after: equals)...])
                    if !SecretValueHeuristics.isPlaceholder(value), let scalar = literal.scalar {
                        hits.append(Hit(line: scalar.mark.line, severity: .error, what: "a secretGenerator literal", value: value))
                    }
                }
            }
        }
        // Base64 PEM private keys anywhere (client-key-data, tls.key outside Secrets…), and
        // random-looking strings as warnings.
        root.walk { path, node in
            guard let scalar = node.scalar, scalar.kind == .string else { return }
            let value = scalar.value
            if isSecret, let first = path.first, first == "data" || first == "stringData" { return }  // secrets.sops-encrypted
            if let pem = SecretValueHeuristics.decodedPEM(value) {
                if pem.contains("PRIVATE KEY") {
                    hits.append(Hit(line: scalar.mark.line, severity: .error, what: "a base64-encoded private key", value: value))
                }
                return
            }
            let key = path.last { !$0.hasPrefix("[") } ?? ""
            if let hit = entropyHit(value, key: key, line: scalar.mark.line) { hits.append(hit) }
        }
        return hits
    }

    private static func literalHit(_ node: YAMLNode, what: String) -> Hit? {
        guard let scalar = node.scalar, let value = node.string, !SecretValueHeuristics.isPlaceholder(value) else { return nil }
        return Hit(line: scalar.mark.line, severity: .error, what: what, value: value)
    }

    /// A keyed credential: an error when it looks real (long or random), else a warning.
    private static func keyedHit(_ value: String, line: Int, key: String) -> Hit {
        let strong = value.count >= 12 || SecretValueHeuristics.entropy(value) >= 3.0
        return Hit(line: line, severity: strong ? .error : .warning, what: "a literal value for '\(key)'", value: value)
    }

    private static let entropyExemptKeys = ["digest", "sha", "checksum", "commit", "revision", "hash", "fingerprint",
                                            "integrity", "image", "tag", "url", "repository", "description", "id",
                                            "crt", "cert", "ca", "cabundle", "recipient", "publickey", "public_key"]

    /// Random-looking strings: a warning, never an error (they may be ids or hashes).
    private static func entropyHit(_ value: String, key: String, line: Int) -> Hit? {
        // Cheapest checks first: most scalars are short or contain spaces, dots or colons.
        let length = value.utf8.count
        guard length >= 20, length <= 4096 else { return nil }
        let isHex = SecretValueHeuristics.isHex(value)
        guard isHex || SecretValueHeuristics.isBase64Like(value) else { return nil }
        if value.hasPrefix("age1") || value.hasPrefix("/") || SecretValueHeuristics.isUUID(value) { return nil }
        // An image, archive or font in base64 (an icon in a dashboard) is not a credential.
        if SecretReferenceHeuristics.isEncodedBinaryFile(value) { return nil }
        let lowerKey = key.lowercased()
        if entropyExemptKeys.contains(where: { lowerKey == $0 || lowerKey.hasSuffix($0) || lowerKey.hasSuffix($0 + "s") }) { return nil }
        let entropy = SecretValueHeuristics.entropy(value)
        if isHex {
            guard length >= 32, entropy >= 3.0 else { return nil }
        } else {
            guard entropy >= 4.5 else { return nil }
            // Mostly letters with few digits reads as a name, not a key.
            guard value.utf8.filter({ $0 >= 48 && $0 <= 57 }).count >= 2 else { return nil }
        }
        guard !SecretValueHeuristics.isPlaceholder(value) else { return nil }
        return Hit(line: line, severity: .warning, what: "a high-entropy string", value: value)
    }

    private static func dotenvHits(_ lines: [Substring], secretNames: Set<String>) -> [Hit] {
        var hits: [Hit] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            var key = String(trimmed[..<equals]).trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("export ") { key = String(key.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            var value = String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            if SecretValueHeuristics.isSecretKeyName(key), !SecretValueHeuristics.isPlaceholder(value) {
                if SecretReferenceHeuristics.isReference(key: key, value: value, secretNames: secretNames) { continue }
                hits.append(keyedHit(value, line: index + 1, key: key))
            } else if let hit = entropyHit(value, key: key, line: index + 1) {
                hits.append(hit)
            }
        }
        return hits
    }
}
