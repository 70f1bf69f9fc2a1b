import Foundation

/// Where age identities come from, in sops' order: `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, then
/// `$XDG_CONFIG_HOME/sops/age/keys.txt` (default `~/.config/sops/age/keys.txt`).
public enum AgeKeySources {
    /// The default key file path.
    public static func defaultKeyFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/sops/age/keys.txt" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/sops/age/keys.txt"
    }

    /// Every identity available. Unreadable or malformed sources are errors naming the source.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        if let inline = environment["SOPS_AGE_KEY"], !inline.isEmpty {
            identities += try AgeIdentity.parseKeyFile(inline, source: "SOPS_AGE_KEY")
        }
        if let path = environment["SOPS_AGE_KEY_FILE"], !path.isEmpty {
            identities += try read(path, source: "SOPS_AGE_KEY_FILE (\(path))")
        }
        let fallback = defaultKeyFile(environment: environment)
        if FileManager.default.fileExists(atPath: fallback) {
            identities += try read(fallback, source: fallback)
        }
        return identities
    }

    private static func read(_ path: String, source: String) throws -> [AgeIdentity] {
        guard let data = FileManager.default.contents(atPath: path) else { throw SOPSError("cannot read the age key file \(source)") }
        guard let text = String(data: data, encoding: .utf8) else { throw SOPSError("the age key file \(source) is not UTF-8 text") }
        return try AgeIdentity.parseKeyFile(text, source: source)
    }
}
