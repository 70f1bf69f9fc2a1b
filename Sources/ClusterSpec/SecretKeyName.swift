/// Recognises keys that name a secret value (`password`, `tokenSecret`, `API_KEY`, …) as
/// opposed to keys that name where a secret is kept or which one is meant (`tokenID`,
/// `tokenSecretFile`, `secretRef`, `existingSecretName`).
public enum SecretKeyName {
    /// Words that mark a key as holding a secret, compared without case, `_` and `-`.
    static let secretWords = ["password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "accesskey", "credential"]
    /// Endings that make a key a reference to a secret rather than the secret itself.
    static let referenceEndings = ["id", "file", "path", "ref", "name", "names", "env", "key_ref", "refs"]

    /// True when a value under `key` would be a secret.
    public static func isSecretLike(_ key: String) -> Bool {
        let normalized = String(key.lowercased().filter { $0 != "_" && $0 != "-" && $0 != "." })
        guard secretWords.contains(where: normalized.contains) else { return false }
        // `existingSecret: NAME` (the Helm convention) names a Secret object; it holds none.
        guard !normalized.hasPrefix("existing") else { return false }
        return !referenceEndings.contains(where: { normalized.hasSuffix($0) })
    }
}
