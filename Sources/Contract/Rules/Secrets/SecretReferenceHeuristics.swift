import Foundation

/// How `secrets.plaintext` tells a value that says where a secret is from the secret itself:
/// the name of a Secret or of a key inside one, an environment variable's name, a vault
/// reference, a template placeholder; and base64 that is an image or an archive.
enum SecretReferenceHeuristics {
    /// True when the value under `key` names a secret (or a variable holding one) instead of
    /// holding it. `secretNames` are the Secrets the repository defines.
    static func isReference(key: String, value raw: String, secretNames: Set<String>) -> Bool {
        let value = raw.trimmingCharacters(in: .whitespaces)
        if isEnvironmentVariableName(value) || isVaultReference(value) || hasTemplatePlaceholder(value) { return true }
        let words = camelWords(key)
        guard let last = words.last else { return false }
        // `superuserSecret: postgres-superuser` where the repository defines that Secret.
        if words.contains("secret"), secretNames.contains(value) { return true }
        let prefix = words.dropLast(last == "key" && words.count >= 2 && words[words.count - 2] == "secret" ? 2 : 1)
        guard !prefix.isEmpty, !prefix.contains(where: credentialWords.contains) else { return false }
        if last == "key", words.count >= 3, words[words.count - 2] == "secret" {
            // `masterkeySecretKey: masterkey`: the key inside a Secret that holds the value.
            return isKeyName(value)
        }
        if last == "secret" {
            // `githubConfigSecret: runner-secret`: the name of a Secret.
            return isObjectName(value) && value.contains("-")
        }
        return false
    }

    /// Words that make `<word>Secret` a credential itself (`clientSecret`, `webhookSecret`).
    static let credentialWords: Set<String> = ["client", "app", "api", "shared", "webhook", "jwt", "session", "cookie", "hmac",
                                               "signing", "encryption", "consumer", "aws", "s3", "access", "storage", "minio", "bot", "private"]

    /// `GITHUB_TOKEN`, `OIDC_CLIENT_SECRET`: the name of an environment variable.
    static func isEnvironmentVariableName(_ value: String) -> Bool {
        guard value.count >= 3, value.count <= 80, let first = value.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        let allowed = value.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        let digits = value.unicodeScalars.filter { ("0"..."9").contains($0) }.count
        // A word or words joined by underscores; a random upper-case string has many digits.
        return allowed && !value.hasSuffix("_") && (value.contains("_") ? digits <= 3 : digits == 0 && value.count <= 24)
    }

    /// 1Password, Vault, vals, cloud secret managers, Bitwarden, Doppler references.
    static func isVaultReference(_ value: String) -> Bool {
        let prefixes = ["op://", "vault://", "vault:", "ref+", "akv://", "azkv://", "gcpsm://", "awssm://", "sm://", "secretref:",
                        "arn:aws:secretsmanager:", "arn:aws:ssm:", "bw://", "bws://", "doppler://", "keeper://", "infisical://", "onepassword://"]
        let lower = value.lowercased()
        return prefixes.contains { lower.hasPrefix($0) }
    }

    /// `${VAR}`, `{{ .Values.x }}`, `{TOKEN}` (Python format strings), `%(token)s`, `$(VAR)`.
    static func hasTemplatePlaceholder(_ value: String) -> Bool {
        if value.contains("${") || value.contains("{{") || value.contains("$(") || value.contains("%(") { return true }
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { return false }
            let inner = after[..<close]
            if !inner.isEmpty, inner.count <= 64, inner.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) { return true }
            rest = after[after.index(after: close)...]
        }
        return false
    }

    /// A DNS-1123 subdomain, the shape of a Kubernetes object name, with few digits.
    static func isObjectName(_ value: String) -> Bool {
        guard !value.isEmpty, value.count <= 253 else { return false }
        let scalars = value.unicodeScalars
        guard scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }),
              let first = scalars.first, let last = scalars.last, first != "-", last != "-", first != ".", last != "." else { return false }
        return scalars.filter { ("0"..."9").contains($0) }.count <= 3
    }

    /// The shape of a key inside a Secret (`masterkey`, `tls.key`, `admin-password`).
    static func isKeyName(_ value: String) -> Bool {
        guard !value.isEmpty, value.count <= 63 else { return false }
        let scalars = value.unicodeScalars
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." || $0 == "_" }
            && scalars.filter { ("0"..."9").contains($0) }.count <= 2
    }

    /// `githubConfigSecret` → `github, config, secret`; `secret_key` → `secret, key`.
    static func camelWords(_ key: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in key {
            if character == "_" || character == "-" || character == "." {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if character.isUppercase, !current.isEmpty, current.last.map({ !$0.isUppercase }) ?? false {
                words.append(current)
                current = String(character)
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }
    }

    // MARK: base64 that is not a credential

    /// True when base64 text decodes to a file with a known binary signature: an image, an
    /// archive, a font or a document. Random key bytes never start with these.
    static func isEncodedBinaryFile(_ value: String) -> Bool {
        var prefix = String(value.prefix(24)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        prefix = String(prefix.prefix(prefix.count - prefix.count % 4))
        guard prefix.count >= 8, let data = Data(base64Encoded: prefix) else { return false }
        let bytes = [UInt8](data)
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.count && Array(bytes[offset..<offset + signature.count]) == signature
        }
        let signatures: [[UInt8]] = [
            [0x89, 0x50, 0x4E, 0x47],  // PNG
            [0xFF, 0xD8, 0xFF],  // JPEG
            Array("GIF8".utf8),
            [0x00, 0x00, 0x01, 0x00],  // ICO
            [0x1F, 0x8B],  // gzip
            [0x50, 0x4B, 0x03, 0x04],  // zip, jar, docx
            Array("BZh".utf8),
            [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00],  // xz
            [0x28, 0xB5, 0x2F, 0xFD],  // zstd
            [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C],  // 7z
            Array("%PDF".utf8),
            Array("wOFF".utf8), Array("wOF2".utf8),  // web fonts
            [0x00, 0x01, 0x00, 0x00, 0x00],  // TrueType
            Array("<svg".utf8), Array("<?xml".utf8),
            [0x7F, 0x45, 0x4C, 0x46],  // ELF
        ]
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) || starts(Array("WAVE".utf8), at: 8) || starts(Array("AVI ".utf8), at: 8) { return true }
        if starts(Array("ftyp".utf8), at: 4) { return true }  // AVIF, HEIC, MP4
        return signatures.contains { starts($0) }
    }
}
