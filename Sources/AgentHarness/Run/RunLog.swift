import Contract
import Foundation
import HomeportCore
import MCP

/// The log folder of one run, `logs/ai/DATE/RUN/`: `run.jsonl` (events), `transcript.jsonl`
/// (every message, redacted), `plan.md`, `diff.patch`, `validation.json`, `summary.md`.
final class RunLog: @unchecked Sendable {
    let folder: String
    let runID: String
    private let lock = NSLock()

    init(repoRoot: String, date: String, runID: String) throws {
        folder = "\(repoRoot)/\(AgentPolicy.logDirectory)/\(date)/\(runID)"
        self.runID = runID
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// One event: a model turn, a tool call, a guard decision, validation, approval.
    func event(_ role: String, _ event: String, _ fields: [String: Value] = [:]) {
        var entry: [String: Value] = ["ts": .string(ISO8601DateFormatter().string(from: Date())), "run_id": .string(runID),
                                      "role": .string(role), "event": .string(event)]
        entry.merge(fields) { $1 }
        append("run.jsonl", .object(entry))
    }

    /// One message of the conversation, redacted.
    func transcript(_ role: String, _ message: Value) {
        append("transcript.jsonl", .object(["role_of_agent": .string(role), "message": Redactor.redact(message)]))
    }

    func write(_ name: String, _ text: String) {
        try? AtomicFile.write(Redactor.redact(text), to: URL(fileURLWithPath: folder + "/" + name))
    }

    private func append(_ name: String, _ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(value) else { return }
        line.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        let path = folder + "/" + name
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(line)
            try? handle.close()
        }
    }
}

/// Removes secret-looking values from text before it reaches a log: age identities, private
/// key blocks, SOPS `ENC[…]` values, tokens with known prefixes and long key-like runs.
enum Redactor {
    static let patterns: [NSRegularExpression] = [
        "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)",
        "AGE-SECRET-KEY-1[0-9A-Za-z]+",
        "ENC\\[[^\\]]*\\]",
        "(ghp_|github_pat_|glpat-|xox[abp]-|sk-)[A-Za-z0-9_\\-]{8,}",
        "[A-Za-z0-9+/=_\\-]{40,}",
    ].compactMap { try? NSRegularExpression(pattern: $0) }

    static func redact(_ text: String) -> String {
        var result = text
        for pattern in patterns {
            let matches = pattern.matches(in: result, range: NSRange(result.startIndex..., in: result)).reversed()
            for match in matches {
                guard let range = Range(match.range, in: result) else { continue }
                let value = String(result[range])
                // Paths and URLs are long but not secret.
                if value.contains("/") && !value.contains("PRIVATE KEY") && !value.hasPrefix("AGE-") { continue }
                result.replaceSubrange(range, with: "[redacted \(Redaction.redact(value))]")
            }
        }
        return result
    }

    static func redact(_ value: Value) -> Value {
        switch value {
        case .string(let text): return .string(redact(text))
        case .array(let items): return .array(items.map(redact))
        case .object(let object): return .object(object.mapValues(redact))
        default: return value
        }
    }
}
