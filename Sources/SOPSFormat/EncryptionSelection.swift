import Foundation

/// Which values of a file sops encrypts: one of the `(un)encrypted_(suffix|regex)` options.
/// Each check looks at every key on a value's path, as sops does.
public enum EncryptionSelection: Sendable, Hashable, CustomStringConvertible {
    case unencryptedSuffix(String)
    case encryptedSuffix(String)
    case unencryptedRegex(String)
    case encryptedRegex(String)
    case unencryptedCommentRegex(String)
    case encryptedCommentRegex(String)

    /// What sops uses when nothing is set.
    public static let `default` = EncryptionSelection.unencryptedSuffix("_unencrypted")

    /// The metadata / `.sops.yaml` key of the option.
    public var key: String {
        switch self {
        case .unencryptedSuffix: "unencrypted_suffix"
        case .encryptedSuffix: "encrypted_suffix"
        case .unencryptedRegex: "unencrypted_regex"
        case .encryptedRegex: "encrypted_regex"
        case .unencryptedCommentRegex: "unencrypted_comment_regex"
        case .encryptedCommentRegex: "encrypted_comment_regex"
        }
    }

    /// The option's value.
    public var value: String {
        switch self {
        case .unencryptedSuffix(let v), .encryptedSuffix(let v), .unencryptedRegex(let v),
             .encryptedRegex(let v), .unencryptedCommentRegex(let v), .encryptedCommentRegex(let v): v
        }
    }

    /// Every option key, in the order sops writes them.
    public static let keys = ["unencrypted_suffix", "encrypted_suffix", "unencrypted_regex", "encrypted_regex",
                              "unencrypted_comment_regex", "encrypted_comment_regex"]

    /// Builds the option from its key and value.
    public init?(key: String, value: String) {
        switch key {
        case "unencrypted_suffix": self = .unencryptedSuffix(value)
        case "encrypted_suffix": self = .encryptedSuffix(value)
        case "unencrypted_regex": self = .unencryptedRegex(value)
        case "encrypted_regex": self = .encryptedRegex(value)
        case "unencrypted_comment_regex": self = .unencryptedCommentRegex(value)
        case "encrypted_comment_regex": self = .encryptedCommentRegex(value)
        default: return nil
        }
    }

    public var description: String { "\(key): \(value)" }

    /// True when a regular-expression option does not compile.
    public var regexError: String? {
        switch self {
        case .unencryptedRegex(let pattern), .encryptedRegex(let pattern),
             .unencryptedCommentRegex(let pattern), .encryptedCommentRegex(let pattern):
            return RegexCache.shared.regex(pattern) == nil ? "'\(pattern)' is not a valid regular expression" : nil
        default:
            return nil
        }
    }

    /// Whether a value under the key path `path` (mapping keys only, list indices left out)
    /// is encrypted. `comments` are the comment lines directly above the value, for the
    /// comment-regex options.
    public func shouldEncrypt(path: [String], comments: [String] = []) -> Bool {
        switch self {
        case .unencryptedSuffix(let suffix):
            return !path.contains { $0.hasSuffix(suffix) }
        case .encryptedSuffix(let suffix):
            return path.contains { $0.hasSuffix(suffix) }
        case .unencryptedRegex(let pattern):
            return !path.contains { RegexCache.shared.matches(pattern, $0) }
        case .encryptedRegex(let pattern):
            return path.contains { RegexCache.shared.matches(pattern, $0) }
        case .unencryptedCommentRegex(let pattern):
            return !comments.contains { RegexCache.shared.matches(pattern, $0) }
        case .encryptedCommentRegex(let pattern):
            return comments.contains { RegexCache.shared.matches(pattern, $0) }
        }
    }
}

/// Compiled regular expressions, shared: rules and stores ask about the same few patterns
/// for every value.
public final class RegexCache: @unchecked Sendable {
    public static let shared = RegexCache()
    private var cache: [String: NSRegularExpression?] = [:]
    private let lock = NSLock()

    /// The compiled pattern, or nil when it does not compile.
    public func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[pattern] { return cached }
        let compiled = try? NSRegularExpression(pattern: pattern)
        cache[pattern] = compiled
        return compiled
    }

    /// Unanchored search, like Go's `MatchString`. A pattern that does not compile matches nothing.
    public func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = regex(pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
