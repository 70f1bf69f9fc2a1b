import Foundation
import HomeportCore
import SOPSFormat

/// Replaces the values of SOPS files nobody here can decrypt (a template's secrets, encrypted
/// to the template's recipient) with fresh random values encrypted to the repository's rules.
/// The file's structure is read without decrypting: keys, comments and plaintext values stay,
/// every `ENC[…]` value becomes 32 random bytes in base64url (base64 of that text under a
/// Secret's `data:`). The new values are never returned nor printed.
public struct SecretRegeneration: Sendable {
    /// The repository root; `.sops.yaml` there decides the new recipients.
    public var root: String

    public init(root: String) {
        self.root = root
    }

    /// The repo-relative paths of SOPS-encrypted files (with sops metadata) under `folders`.
    public func encryptedFiles(under folders: [String] = ["cluster", "infrastructure"]) -> [String] {
        var paths: [String] = []
        for folder in folders {
            guard let enumerator = FileManager.default.enumerator(atPath: root + "/" + folder) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let path = folder + "/" + relative
                let name = (relative as NSString).lastPathComponent
                guard name.contains(".sops."), let text = try? String(contentsOfFile: root + "/" + path, encoding: .utf8) else { continue }
                let kind = SOPSStoreKind.forPath(path)
                if let parsed = try? SOPSStore.parse(text, kind: kind == .binary ? .json : kind), parsed.metadataNode != nil {
                    paths.append(path)
                }
            }
        }
        return paths.sorted()
    }

    /// The recipients a file is encrypted to, read from its metadata.
    public func recipients(of path: String) throws -> [String] {
        let parsed = try parse(path)
        guard let node = parsed.metadataNode else { throw HomeportError("\(path) has no sops metadata") }
        return try SOPSMetadata(node: node).recipients
    }

    /// Regenerates one file in place (atomically); returns how many values were replaced.
    @discardableResult
    public func regenerate(_ path: String) throws -> Int {
        let parsed = try parse(path)
        var count = 0
        let documents = parsed.documents.map { document -> SOPSNode in
            let isSecret = document["kind"]?.text == "Secret"
            return Self.replacingEncrypted(document, base64: false, underSecret: isSecret, depth: 0, count: &count)
        }
        let operations = SecretsOperations(workingDirectory: root, configPath: root + "/.sops.yaml")
        let plan = try operations.plan(for: path)
        let output: [UInt8]
        do {
            output = try SOPSEngine.encrypt(documents: documents, binary: nil, kind: parsed.kind, plan: plan)
        } catch let error as SOPSError {
            throw HomeportError("cannot encrypt the regenerated \(path): \(error.message); it is unchanged")
        }
        try operations.write(output, to: path)
        return count
    }

    private func parse(_ path: String) throws -> SOPSParsedFile {
        guard let data = FileManager.default.contents(atPath: root + "/" + path), let text = String(data: data, encoding: .utf8) else {
            throw HomeportError("cannot read \(path)")
        }
        let kind = SOPSStoreKind.forPath(path)
        if kind == .binary {
            throw HomeportError("\(path) is an encrypted binary file; regenerate it by hand with `homeport secrets edit`")
        }
        do { return try SOPSStore.parse(text, kind: kind) } catch let error as SOPSStore.StoreError {
            throw HomeportError("\(path) cannot be read: \(error)", at: SourceLocation(path: path, line: error.line))
        }
    }

    /// The tree with every encrypted value replaced; encrypted comments are dropped (their
    /// text cannot be recovered).
    static func replacingEncrypted(_ node: SOPSNode, base64: Bool, underSecret: Bool, depth: Int, count: inout Int) -> SOPSNode {
        switch node {
        case .scalar(.string(let text)) where EncryptedValue.looksEncrypted(text):
            count += 1
            return .scalar(.string(freshValue(base64: base64)))
        case .scalar, .comment:
            return node
        case .sequence(let items):
            return .sequence(items.compactMap { item in
                if case .comment(let text) = item, EncryptedValue.looksEncrypted(text) { return nil }
                return replacingEncrypted(item, base64: base64, underSecret: underSecret, depth: depth + 1, count: &count)
            })
        case .mapping(let items):
            return .mapping(items.compactMap { item in
                switch item {
                case .comment(let text):
                    return EncryptedValue.looksEncrypted(text) ? nil : item
                case .entry(let key, let value, let line):
                    // A Secret's `data:` holds base64; `stringData:` holds the text itself.
                    let encode = base64 || (underSecret && depth == 0 && key == "data")
                    return .entry(key: key, value: replacingEncrypted(value, base64: encode, underSecret: underSecret, depth: depth + 1, count: &count), line: line)
                }
            })
        }
    }

    /// 32 random bytes as base64url text (no padding), or that text in base64.
    static func freshValue(base64: Bool) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return base64 ? Data(text.utf8).base64EncodedString() : text
    }
}

/// Switching a `.sops.yaml` to another age recipient, as text so that comments and layout stay.
public enum SOPSRecipientSwitch {
    /// The age recipients the file names, in order of appearance, without repeats.
    public static func recipients(in text: String) -> [String] {
        var seen: [String] = []
        for token in tokens(text) where !seen.contains(token) { seen.append(token) }
        return seen
    }

    /// The text with every age recipient replaced by `recipient`.
    public static func replacing(in text: String, with recipient: String) -> String {
        var output = text
        for old in recipients(in: text) where old != recipient {
            output = output.replacingOccurrences(of: old, with: recipient)
        }
        return output
    }

    /// Words that parse as age recipients.
    private static func tokens(_ text: String) -> [String] {
        let separators = CharacterSet.alphanumerics.inverted
        return text.components(separatedBy: separators).filter { $0.hasPrefix("age1") && (try? AgeRecipient(text: $0)) != nil }
    }
}

/// The workstation's age key for `homeport init`: the existing key file, or a new one.
public enum WorkstationAgeKey {
    /// The key file in use: `SOPS_AGE_KEY_FILE`, else the default path.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["SOPS_AGE_KEY_FILE"], !path.isEmpty { return path }
        return AgeKeySources.defaultKeyFile(environment: environment)
    }

    /// The recipient of the key file at `path`, creating the file when it does not exist.
    /// An existing file is never rewritten; its first identity is used.
    public static func ensure(at path: String) throws -> (recipient: String, created: Bool) {
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw HomeportError("cannot read the age key file \(path)")
            }
            let identities: [AgeIdentity]
            do { identities = try AgeIdentity.parseKeyFile(text, source: path) } catch {
                throw HomeportError("\(path) is not an age key file: \(error)")
            }
            guard let first = identities.first else { throw HomeportError("\(path) holds no age identity") }
            return (first.recipient.text, false)
        }
        return (try SecretsOperations.keygen(to: path).text, true)
    }
}
