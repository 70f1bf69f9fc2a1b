import Contract
import Foundation
import HomeportCore

/// Appends every guard decision to `logs/ai/hooks.jsonl`, one JSON object per line. Entries
/// hold paths, rule ids and reasons, never file content; commands are cut to their first
/// line and secret-looking words are redacted.
enum DecisionLog {
    struct Entry: Encodable {
        var ts: String
        var client: String
        var event: String
        var tool: String
        var decision: String
        var rule: String?
        var reason: String
        var paths: [String]
        var command: String?
    }

    static func append(_ entry: Entry, root: String) throws {
        try appendLine(entry, to: AgentPolicy.hookLogPath, root: root)
    }

    /// Appends one value as a JSON line to a repo-relative log file.
    static func appendLine<Value: Encodable>(_ value: Value, to relativePath: String, root: String) throws {
        let path = root + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(value)
        line.append(0x0A)
        // O_APPEND keeps concurrent processes from interleaving inside a line.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { throw HomeportError("cannot open \(relativePath): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else { throw HomeportError("cannot append to \(relativePath)") }
    }

    /// A command as it may be logged: first line only, at most 300 characters, secret-looking
    /// words replaced by a redacted prefix.
    static func redactCommand(_ command: String) -> String {
        let lines = command.split(separator: "\n", omittingEmptySubsequences: false)
        var first = String(lines.first ?? "")
        if lines.count > 1 { first += " …" }
        let words = first.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            looksSecret(String(word)) ? Redaction.redact(String(word)) : String(word)
        }
        let joined = words.joined(separator: " ")
        return joined.count > 300 ? String(joined.prefix(300)) + "…" : joined
    }

    /// Age identities, key blocks, tokens with a known prefix, and long unbroken
    /// letter-digit runs (likely keys or tokens).
    static func looksSecret(_ word: String) -> Bool {
        let upper = word.uppercased()
        if upper.contains("AGE-SECRET-KEY") || upper.contains("PRIVATE KEY") { return true }
        for prefix in ["ghp_", "github_pat_", "glpat-", "xox", "sk-", "AKIA"] where word.contains(prefix) { return true }
        let run = word.filter { $0.isLetter || $0.isNumber || "+=_-".contains($0) }
        return !word.contains("/") && run.count >= 32 && run.count == word.count
    }
}
