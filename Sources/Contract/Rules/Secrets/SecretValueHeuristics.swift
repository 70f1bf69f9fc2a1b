import Foundation
import SOPSFormat

/// Small judgements the secret rules share: what is a placeholder rather than a value, how
/// random a string looks.
enum SecretValueHeuristics {
    /// True for values that stand for a secret without being one: references, templates,
    /// sops ciphertext, obvious placeholders.
    static func isPlaceholder(_ raw: String) -> Bool {
        let value = raw.trimmingCharacters(in: .whitespaces)
        if value.isEmpty || value.count < 4 { return true }
        if value.hasPrefix("ENC[") || SecretReference.isReference(value) { return true }
        if SecretReferenceHeuristics.hasTemplatePlaceholder(value) || SecretReferenceHeuristics.isVaultReference(value) { return true }
        if value.hasPrefix("<") && value.hasSuffix(">") { return true }
        if value.hasPrefix("%") && value.hasSuffix("%") { return true }
        if value.hasPrefix("$") { return true }
        let lower = value.lowercased()
        let words = ["changeme", "change-me", "change_me", "replace", "replaceme", "redacted", "placeholder", "example",
                     "dummy", "your-", "your_", "<your", "xxxx", "****", "....", "todo", "secret-name", "none", "null", "false", "true"]
        if words.contains(where: { lower.contains($0) }) { return true }
        if Set(value).count <= 2 { return true }  // "aaaaaaa", "--------"
        return false
    }

    /// Shannon entropy in bits per character.
    static func entropy(_ text: String) -> Double {
        var counts: [Character: Int] = [:]
        for character in text { counts[character, default: 0] += 1 }
        let length = Double(text.count)
        guard length > 0 else { return 0 }
        return counts.values.reduce(0) { sum, count in
            let p = Double(count) / length
            return sum - p * log2(p)
        }
    }

    static func isHex(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
    }

    static func isBase64Like(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122)
                || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    static func isUUID(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// Base64 of a PEM block: decoded text, when the value is one.
    static func decodedPEM(_ value: String) -> String? {
        guard value.hasPrefix("LS0tLS1CRUdJTi"), let data = Data(base64Encoded: value.filter { !$0.isWhitespace }) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// Key names that hold credentials when they carry a literal value.
    static func isSecretKeyName(_ key: String) -> Bool {
        let lower = key.lowercased()
        if lower.hasPrefix("existing") || lower.hasSuffix("ref") || lower.hasSuffix("name") || lower.hasSuffix("file")
            || lower.hasSuffix("path") || lower.hasSuffix("keyref") { return false }
        let suffixes = ["password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key", "api-key",
                        "privatekey", "private_key", "private-key", "clientsecret", "client_secret", "client-secret",
                        "credential", "credentials", "auth", "dsn", "accesskey", "access_key", "secretkey", "secret_key"]
        return suffixes.contains { lower.hasSuffix($0) }
    }
}
