/// Shortens a secret-looking value to a prefix that helps a person find it without revealing it.
public enum Redaction {
    /// At most four leading characters followed by `…` and the length, e.g. `AGE-…(74 chars)`.
    public static func redact(_ value: String) -> String {
        let prefixLength = value.count >= 16 ? 4 : min(2, max(0, value.count - 1))
        return "\(value.prefix(prefixLength))…(\(value.count) chars)"
    }
}
