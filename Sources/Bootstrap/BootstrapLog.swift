import Foundation
import HomeportCore

/// Progress and a JSON-lines record of one `homeport up` run. Every message passes through
/// redaction: known secret values are replaced before anything is printed or written.
public final class BootstrapLog: @unchecked Sendable {
    private let lock = NSLock()
    private let fileURL: URL?
    private var secrets: [String] = []
    private var lines: [String] = []
    private let printer: @Sendable (String) -> Void
    /// Identifies this run's records among the day's (its start time).
    public let runID: String

    /// - Parameters:
    ///   - directory: `logs/bootstrap` of the repo, or nil to keep no file.
    ///   - cluster: part of the file name.
    ///   - printer: where progress lines go.
    public init(directory: URL?, cluster: String, date: Date = Date(), printer: @escaping @Sendable (String) -> Void) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        fileURL = directory?.appendingPathComponent("\(formatter.string(from: date))-\(cluster).jsonl")
        self.printer = printer
        runID = ISO8601DateFormatter().string(from: date) + "-" + UUID().uuidString.prefix(8).lowercased()
        // Several runs on one day share the file: keep what earlier runs wrote.
        if let fileURL, let existing = try? String(contentsOf: fileURL, encoding: .utf8) {
            lines = existing.split(separator: "\n").map(String.init)
        }
    }

    /// Registers a secret value; it never appears in output or the log from now on.
    public func addSecret(_ value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= 6 else { return }
        lock.lock()
        secrets.append(trimmed)
        lock.unlock()
    }

    /// Replaces every registered secret and secret-looking material in `text`.
    public func redact(_ text: String) -> String {
        lock.lock()
        let known = secrets
        lock.unlock()
        var result = text
        for secret in known { result = result.replacingOccurrences(of: secret, with: Redaction.redact(secret)) }
        for pattern in [#"AGE-SECRET-KEY-1[0-9A-Z]+"#, #"PVEAPIToken=[^\s"]+"#,
                        #"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"#] {
            while let range = result.range(of: pattern, options: .regularExpression) {
                result.replaceSubrange(range, with: Redaction.redact(String(result[range])))
            }
        }
        return result
    }

    /// Prints a progress line and records it.
    public func event(stage: String, _ message: String, level: String = "info", fields: [String: String] = [:]) {
        let clean = redact(message)
        printer(level == "info" ? "[\(stage)] \(clean)" : "[\(stage)] \(level): \(clean)")
        record(stage: stage, level: level, message: clean, fields: fields)
    }

    /// Records a line in the log file without printing it.
    public func record(stage: String, level: String = "debug", message: String, fields: [String: String] = [:]) {
        var object: [String: String] = fields.mapValues { redact($0) }
        object["time"] = ISO8601DateFormatter().string(from: Date())
        object["run"] = runID
        object["stage"] = stage
        object["level"] = level
        object["message"] = redact(message)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(object) else { return }
        lock.lock()
        lines.append(String(decoding: data, as: UTF8.self))
        let text = lines.joined(separator: "\n") + "\n"
        lock.unlock()
        if let fileURL { try? AtomicFile.write(text, to: fileURL, permissions: 0o600) }
    }

    /// The records in the log (earlier runs of the day included).
    public var records: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    public var path: String? { fileURL?.path }
}
