import Crypto
import Foundation
import SOPSFormat

/// A decrypted sops file: its plaintext and everything needed to write it back with minimal
/// changes (the data key and the IV of every value).
public struct SOPSDecrypted: Sendable {
    public var kind: SOPSStoreKind
    /// The plaintext trees (text stores).
    public var documents: [SOPSNode]
    /// The plaintext bytes (binary store).
    public var binary: [UInt8]?
    public var metadata: SOPSMetadata
    public var dataKey: [UInt8]
    /// IVs of the encrypted values, by (path, type, plaintext), reused on re-encryption so that
    /// unchanged values keep their exact ciphertext.
    public var ivStash: [String: [UInt8]]

    /// The plaintext in the store's own format (what `decrypt` prints).
    public var plaintext: [UInt8] {
        if let binary { return binary }
        return Array(SOPSStore.emit(SOPSParsedFile(kind: kind, documents: documents, metadataNode: nil)).utf8)
    }
}

/// Encrypts and decrypts whole sops files natively. Every decrypt verifies the MAC.
public enum SOPSEngine {
    /// The sops format version homeport writes (files are read back by sops 3.x).
    public static let formatVersion = "3.11.0"

    // MARK: decrypt

    /// Decrypts a sops file. Errors name the file's recipients when no identity fits, and
    /// never include plaintext.
    public static func decrypt(_ bytes: [UInt8], kind: SOPSStoreKind, identities: [AgeIdentity]) throws -> SOPSDecrypted {
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw SOPSError("the file is not UTF-8 text, so it is not a sops file") }
        let parsed: SOPSParsedFile
        do { parsed = try SOPSStore.parse(text, kind: kind == .binary ? .json : kind) } catch let error as SOPSStore.StoreError {
            throw SOPSError("cannot read it as \(kind.rawValue): \(error)")
        }
        guard let metadataNode = parsed.metadataNode else { throw SOPSError("it has no sops metadata: it is not encrypted") }
        let metadata: SOPSMetadata
        do { metadata = try SOPSMetadata(node: metadataNode) } catch {
            throw SOPSError("its sops metadata is unusable: \(error)")
        }
        let dataKey = try recoverDataKey(metadata, identities: identities)
        let key = SymmetricKey(data: dataKey)
        var walker = Walker(key: key, selection: metadata.effectiveSelection, macOnlyEncrypted: metadata.macOnlyEncrypted)
        var documents: [SOPSNode] = []
        var binary: [UInt8]?
        if kind == .binary {
            guard case .scalar(.string(let encrypted))? = parsed.documents.first?["data"] else {
                throw SOPSError("the binary envelope has no data value")
            }
            let plain = try walker.decryptLeaf(encrypted, path: ["data"])
            walker.hash(plain)
            binary = plain
        } else {
            for document in parsed.documents {
                documents.append(try walker.decrypt(document, path: []))
            }
        }
        try verifyMAC(metadata, key: key, computed: walker.macHex)
        return SOPSDecrypted(kind: kind, documents: documents, binary: binary, metadata: metadata, dataKey: dataKey, ivStash: walker.ivStash)
    }

    /// Recovers the 32-byte data key from the metadata with any of the identities.
    public static func recoverDataKey(_ metadata: SOPSMetadata, identities: [AgeIdentity]) throws -> [UInt8] {
        let mine = Set(identities.map(\.recipient.text))
        var parts: [[UInt8]] = []
        var failures: [String] = []
        for group in metadata.keyGroups {
            // Try the entries addressed to our keys first.
            let ordered = group.age.filter { mine.contains($0.recipient) } + group.age.filter { !mine.contains($0.recipient) }
            var recovered: [UInt8]?
            for entry in ordered {
                do {
                    recovered = try Age.decrypt(Array(entry.enc.utf8), identities: identities)
                    break
                } catch AgeError.noMatchingIdentity {
                    continue
                } catch {
                    failures.append("\(entry.recipient): \(error)")
                }
            }
            if let recovered { parts.append(recovered) }
        }
        let groups = metadata.keyGroups.count
        if groups <= 1 {
            guard let key = parts.first else { throw noKeyError(metadata, identities: identities, failures: failures) }
            guard key.count == 32 else { throw SOPSError("the data key is \(key.count) bytes instead of 32") }
            return key
        }
        let threshold = metadata.shamirThreshold ?? groups
        guard parts.count >= threshold else {
            if parts.isEmpty { throw noKeyError(metadata, identities: identities, failures: failures) }
            throw SOPSError("only \(parts.count) of the \(threshold) key groups needed (Shamir threshold) could be decrypted; the file's recipients are \(metadata.recipients.joined(separator: ", "))")
        }
        let key: [UInt8]
        do { key = try Shamir.combine(Array(parts.prefix(threshold))) } catch {
            throw SOPSError("cannot combine the key shares: \(error)")
        }
        guard key.count == 32 else { throw SOPSError("the combined data key is \(key.count) bytes instead of 32") }
        return key
    }

    private static func noKeyError(_ metadata: SOPSMetadata, identities: [AgeIdentity], failures: [String]) -> SOPSError {
        let yours = identities.isEmpty ? "no age identity was found (set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY, or create ~/.config/sops/age/keys.txt)"
            : "your identities (\(identities.map(\.recipient.text).joined(separator: ", "))) are not among them"
        let detail = failures.isEmpty ? "" : " (\(failures.joined(separator: "; ")))"
        return SOPSError("no age key can decrypt it: it is encrypted to \(metadata.recipients.joined(separator: ", ")), and \(yours)\(detail)")
    }

    private static func verifyMAC(_ metadata: SOPSMetadata, key: SymmetricKey, computed: String) throws {
        let stored: EncryptedValue
        do { stored = try EncryptedValue(parsing: metadata.mac) } catch {
            throw SOPSError("the MAC is not a valid ENC[…] value: the file was modified or is corrupt")
        }
        let decrypted: [UInt8]
        do { decrypted = try SOPSCipher.decrypt(stored, key: key, aad: metadata.lastModified) } catch {
            throw SOPSError("the MAC does not authenticate (or lastmodified was changed): the file was modified outside sops/homeport")
        }
        guard String(decoding: decrypted, as: UTF8.self) == computed else {
            throw SOPSError("MAC mismatch: the values were modified outside sops/homeport (or the file is corrupt); nothing was decrypted to output")
        }
    }

    // MARK: encrypt

    /// Encrypts plaintext file content (`kind` decides the store) to a plan. Pass the old
    /// data key and IV stash to re-encrypt with minimal changes (`edit`).
    public static func encrypt(_ plaintext: [UInt8], kind: SOPSStoreKind, plan: SOPSKeyPlan,
                               reusing previous: SOPSDecrypted? = nil, now: Date = Date()) throws -> [UInt8] {
        var documents: [SOPSNode] = []
        var binary: [UInt8]?
        if kind == .binary {
            binary = plaintext
        } else {
            guard let text = String(bytes: plaintext, encoding: .utf8) else { throw SOPSError("the input is not UTF-8 text; use the binary store") }
            let parsed: SOPSParsedFile
            do { parsed = try SOPSStore.parse(text, kind: kind) } catch let error as SOPSStore.StoreError {
                throw SOPSError("cannot read it as \(kind.rawValue): \(error)")
            }
            if parsed.metadataNode != nil { throw SOPSError("it is already encrypted (it has sops metadata)") }
            documents = parsed.documents
        }
        return try encrypt(documents: documents, binary: binary, kind: kind, plan: plan, reusing: previous, now: now)
    }

    /// Encrypts trees (or binary bytes) to a plan.
    public static func encrypt(documents: [SOPSNode], binary: [UInt8]?, kind: SOPSStoreKind, plan: SOPSKeyPlan,
                               reusing previous: SOPSDecrypted? = nil, now: Date = Date()) throws -> [UInt8] {
        let dataKey = previous?.dataKey ?? Age.randomBytes(32)
        let key = SymmetricKey(data: dataKey)
        var walker = Walker(key: key, selection: plan.selection, macOnlyEncrypted: plan.macOnlyEncrypted)
        walker.ivStash = previous?.ivStash ?? [:]
        var encryptedDocuments: [SOPSNode] = []
        if let binary {
            walker.hash(binary)
            let value = try walker.encryptLeaf(binary, type: .str, path: ["data"])
            encryptedDocuments = [.mapping([.entry(key: "data", value: .scalar(.string(value)), line: nil)])]
        } else {
            for document in documents { encryptedDocuments.append(try walker.encrypt(document, path: [])) }
        }
        let lastModified = lastModifiedString(now)
        let macValue = try SOPSCipher.encrypt(Array(walker.macHex.utf8), type: .str, key: key, aad: lastModified, iv: Age.randomBytes(32))
        let metadata = try wrap(dataKey: dataKey, plan: plan, lastModified: lastModified, mac: macValue.text)
        let file = SOPSParsedFile(kind: kind == .binary ? .json : kind, documents: encryptedDocuments, metadataNode: metadata.node)
        return Array(SOPSStore.emit(file).utf8)
    }

    /// Metadata with the data key wrapped for every recipient of the plan.
    public static func wrap(dataKey: [UInt8], plan: SOPSKeyPlan, lastModified: String, mac: String) throws -> SOPSMetadata {
        var groups: [SOPSMetadata.KeyGroup] = []
        if plan.keyGroups.count <= 1 {
            let recipients = plan.keyGroups.first ?? []
            guard !recipients.isEmpty else { throw SOPSError("no recipients to encrypt to") }
            groups = [SOPSMetadata.KeyGroup(age: try recipients.map { try wrapEntry(dataKey, to: $0) })]
        } else {
            let threshold = plan.shamirThreshold ?? plan.keyGroups.count
            let shares = try Shamir.split(dataKey, parts: plan.keyGroups.count, threshold: threshold)
            for (share, recipients) in zip(shares, plan.keyGroups) {
                groups.append(SOPSMetadata.KeyGroup(age: try recipients.map { try wrapEntry(share, to: $0) }))
            }
        }
        var metadata = SOPSMetadata(keyGroups: groups, shamirThreshold: plan.keyGroups.count > 1 ? (plan.shamirThreshold ?? plan.keyGroups.count) : nil,
                                    lastModified: lastModified, mac: mac, selection: plan.selection,
                                    macOnlyEncrypted: plan.macOnlyEncrypted, version: formatVersion)
        metadata.usesKeyGroups = plan.keyGroups.count > 1
        return metadata
    }

    private static func wrapEntry(_ secret: [UInt8], to recipient: AgeRecipient) throws -> SOPSMetadata.AgeEntry {
        let armored = try Age.encrypt(secret, to: [recipient], armor: true)
        return SOPSMetadata.AgeEntry(recipient: recipient.text, enc: String(decoding: armored, as: UTF8.self))
    }

    /// Go's `Format(time.RFC3339)` in UTC.
    static func lastModifiedString(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    // MARK: tree walk

    /// Walks a tree in file order, encrypting or decrypting the selected leaves and feeding
    /// the MAC exactly as sops does.
    struct Walker {
        let key: SymmetricKey
        let selection: EncryptionSelection
        let macOnlyEncrypted: Bool
        var hasher = SHA512()
        var ivStash: [String: [UInt8]] = [:]

        init(key: SymmetricKey, selection: EncryptionSelection, macOnlyEncrypted: Bool) {
            self.key = key
            self.selection = selection
            self.macOnlyEncrypted = macOnlyEncrypted
            if macOnlyEncrypted { hasher.update(data: Array(SHA256.hash(data: Array("sops".utf8)))) }
        }

        var macHex: String {
            hasher.finalize().map { String(format: "%02X", $0) }.joined()
        }

        mutating func hash(_ bytes: [UInt8]) { hasher.update(data: bytes) }

        static func stashKey(_ aad: String, _ type: SOPSValueType, _ plaintext: [UInt8]) -> String {
            aad + "\u{1}" + type.rawValue + "\u{1}" + Data(plaintext).base64EncodedString()
        }

        /// Comments use their mapping's path; a top-level comment uses ":".
        static func commentAAD(_ path: [String]) -> String {
            path.isEmpty ? ":" : SOPSCipher.aad(path)
        }

        mutating func decryptLeaf(_ text: String, path: [String], aad explicitAAD: String? = nil) throws -> [UInt8] {
            let value: EncryptedValue
            do { value = try EncryptedValue(parsing: text) } catch {
                throw SOPSError("the value at \(path.joined(separator: ".")) \(error)")
            }
            let aad = explicitAAD ?? SOPSCipher.aad(path)
            do {
                let plain = try SOPSCipher.decrypt(value, key: key, aad: aad)
                ivStash[Self.stashKey(aad, value.type, plain)] = value.iv
                return plain
            } catch {
                throw SOPSError("the value at \(path.isEmpty ? "(top level)" : path.joined(separator: ".")) does not authenticate: it was modified, moved to another key, or the file is corrupt")
            }
        }

        mutating func encryptLeaf(_ plaintext: [UInt8], type: SOPSValueType, path: [String], aad explicitAAD: String? = nil) throws -> String {
            let aad = explicitAAD ?? SOPSCipher.aad(path)
            let stash = Self.stashKey(aad, type, plaintext)
            let iv = ivStash[stash] ?? Age.randomBytes(32)
            return try SOPSCipher.encrypt(plaintext, type: type, key: key, aad: aad, iv: iv).text
        }

        mutating func decrypt(_ node: SOPSNode, path: [String]) throws -> SOPSNode {
            switch node {
            case .mapping(let items):
                var result: [SOPSMapItem] = []
                for item in items {
                    switch item {
                    case .comment(let text):
                        result.append(.comment(try decryptComment(text, path: path)))
                    case .entry(let key, let value, let line):
                        result.append(.entry(key: key, value: try decrypt(value, path: path + [key]), line: line))
                    }
                }
                return .mapping(result)
            case .sequence(let items):
                return .sequence(try items.map { item in
                    if case .comment(let text) = item { return .comment(try decryptComment(text, path: path)) }
                    return try decrypt(item, path: path)
                })
            case .comment(let text):
                return .comment(try decryptComment(text, path: path))
            case .scalar(let scalar):
                let selected = selection.shouldEncrypt(path: path)
                if selected, case .string(let text) = scalar, EncryptedValue.looksEncrypted(text) {
                    let value = try EncryptedValue(parsing: text)
                    let plain = try decryptLeaf(text, path: path)
                    hash(plain)
                    guard let string = String(bytes: plain, encoding: .utf8),
                          let typed = SOPSScalar.from(plaintext: string, type: value.type) else {
                        throw SOPSError("the value at \(path.joined(separator: ".")) does not decode as its type \(value.type.rawValue)")
                    }
                    return .scalar(typed)
                }
                if selected, let plain = scalar.plaintext, !plain.isEmpty {
                    throw SOPSError("the value at \(path.joined(separator: ".")) should be encrypted but is plain text: the file was modified outside sops/homeport")
                }
                if let plain = scalar.plaintext, !macOnlyEncrypted || selected { hash(Array(plain.utf8)) }
                return node
            }
        }

        private mutating func decryptComment(_ text: String, path: [String]) throws -> String {
            guard EncryptedValue.looksEncrypted(text) else { return text }
            let plain = try decryptLeaf(text, path: path, aad: Self.commentAAD(path))
            return String(decoding: plain, as: UTF8.self)
        }

        mutating func encrypt(_ node: SOPSNode, path: [String]) throws -> SOPSNode {
            switch node {
            case .mapping(let items):
                var result: [SOPSMapItem] = []
                for item in items {
                    switch item {
                    case .comment(let text):
                        result.append(.comment(try encryptComment(text, path: path)))
                    case .entry(let key, let value, let line):
                        if key == "sops", path.isEmpty { throw SOPSError("the top-level key 'sops' is reserved for the metadata") }
                        result.append(.entry(key: key, value: try encrypt(value, path: path + [key]), line: line))
                    }
                }
                return .mapping(result)
            case .sequence(let items):
                return .sequence(try items.map { item in
                    if case .comment(let text) = item { return .comment(try encryptComment(text, path: path)) }
                    return try encrypt(item, path: path)
                })
            case .comment(let text):
                return .comment(try encryptComment(text, path: path))
            case .scalar(let scalar):
                guard let plain = scalar.plaintext, let type = scalar.valueType else { return node }  // null
                let selected = selection.shouldEncrypt(path: path)
                if !macOnlyEncrypted || selected { hash(Array(plain.utf8)) }
                guard selected, !plain.isEmpty else { return node }
                return .scalar(.string(try encryptLeaf(Array(plain.utf8), type: type, path: path)))
            }
        }

        private mutating func encryptComment(_ text: String, path: [String]) throws -> String {
            guard selection.shouldEncrypt(path: path), !EncryptedValue.looksEncrypted(text) else { return text }
            return try encryptLeaf(Array(text.utf8), type: .comment, path: path, aad: Self.commentAAD(path))
        }
    }
}
