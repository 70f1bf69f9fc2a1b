/// The `sops:` block of an encrypted file: who can decrypt it, the MAC, and which values are
/// encrypted.
public struct SOPSMetadata: Sendable, Hashable {
    /// One age recipient and the data key (or Shamir share) encrypted to it, armored.
    public struct AgeEntry: Sendable, Hashable {
        public var recipient: String
        public var enc: String

        public init(recipient: String, enc: String) {
            self.recipient = recipient
            self.enc = enc
        }
    }

    /// One key group: age entries, and the names of other key types present (pgp, kms…).
    public struct KeyGroup: Sendable, Hashable {
        public var age: [AgeEntry]
        public var otherKeyTypes: [String]

        public init(age: [AgeEntry], otherKeyTypes: [String] = []) {
            self.age = age
            self.otherKeyTypes = otherKeyTypes
        }
    }

    public var keyGroups: [KeyGroup]
    /// Set when the file has several key groups (the data key is Shamir-split).
    public var shamirThreshold: Int?
    /// The raw `lastmodified` string (it is the additional data of the MAC).
    public var lastModified: String
    /// The encrypted MAC, `ENC[…]`.
    public var mac: String
    public var selection: EncryptionSelection?
    public var macOnlyEncrypted: Bool
    public var version: String
    /// True when the file wrote its keys under `key_groups` (several groups).
    public var usesKeyGroups: Bool

    public init(keyGroups: [KeyGroup], shamirThreshold: Int? = nil, lastModified: String, mac: String,
                selection: EncryptionSelection?, macOnlyEncrypted: Bool = false, version: String) {
        self.keyGroups = keyGroups
        self.shamirThreshold = shamirThreshold
        self.lastModified = lastModified
        self.mac = mac
        self.selection = selection
        self.macOnlyEncrypted = macOnlyEncrypted
        self.version = version
        self.usesKeyGroups = keyGroups.count > 1
    }

    /// Every age recipient in every group.
    public var recipients: [String] { keyGroups.flatMap { $0.age.map(\.recipient) } }

    /// The selection that applies (sops' default when none is written).
    public var effectiveSelection: EncryptionSelection { selection ?? .default }

    /// Why a metadata block cannot be used.
    public struct MetadataError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the `sops` mapping. Scalars may be strings (dotenv and INI store everything as text).
    public init(node: SOPSNode) throws {
        guard case .mapping = node else { throw MetadataError(description: "the sops metadata is not a mapping") }
        guard let mac = node["mac"]?.text, !mac.isEmpty else { throw MetadataError(description: "the sops metadata has no mac") }
        guard let lastModified = node["lastmodified"]?.text else { throw MetadataError(description: "the sops metadata has no lastmodified") }
        self.mac = mac
        self.lastModified = lastModified
        // sops counts a file as encrypted when it has a mac and a version; the version is also
        // the last line sops writes, so a missing or cut one means a truncated file.
        guard let version = node["version"]?.text, Self.isVersion(version) else {
            throw MetadataError(description: "the sops metadata has no valid version (a truncated file?)")
        }
        self.version = version
        if let groups = node["key_groups"], case .sequence(let items) = groups {
            keyGroups = items.map(Self.keyGroup)
            usesKeyGroups = true
        } else {
            keyGroups = [Self.keyGroup(node)]
            usesKeyGroups = false
        }
        if let threshold = node["shamir_threshold"]?.text {
            guard let value = Int(threshold) else { throw MetadataError(description: "shamir_threshold is not a number") }
            shamirThreshold = value
        } else {
            shamirThreshold = nil
        }
        macOnlyEncrypted = ["true", "True"].contains(node["mac_only_encrypted"]?.text ?? "")
        var selection: EncryptionSelection?
        for key in EncryptionSelection.keys {
            if let value = node[key]?.text, !value.isEmpty { selection = EncryptionSelection(key: key, value: value) }
        }
        self.selection = selection
    }

    static func isVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    private static func keyGroup(_ node: SOPSNode) -> KeyGroup {
        var group = KeyGroup(age: [])
        for (key, value) in node.entries {
            if key == "age" {
                if case .sequence(let items) = value {
                    for item in items {
                        if let recipient = item["recipient"]?.text, let enc = item["enc"]?.text {
                            group.age.append(AgeEntry(recipient: recipient, enc: enc))
                        }
                    }
                }
            } else if ["pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms"].contains(key) {
                if case .sequence(let items) = value, !items.isEmpty { group.otherKeyTypes.append(key) }
            }
        }
        return group
    }

    /// The `sops` mapping as sops writes it (key order included).
    public var node: SOPSNode {
        func ageList(_ entries: [AgeEntry]) -> SOPSNode {
            .sequence(entries.map {
                .mapping([.entry(key: "recipient", value: .scalar(.string($0.recipient)), line: nil),
                          .entry(key: "enc", value: .scalar(.string($0.enc)), line: nil)])
            })
        }
        var items: [SOPSMapItem] = []
        if usesKeyGroups || keyGroups.count > 1 {
            if let shamirThreshold { items.append(.entry(key: "shamir_threshold", value: .scalar(.int(String(shamirThreshold))), line: nil)) }
            items.append(.entry(key: "key_groups", value: .sequence(keyGroups.map {
                .mapping([.entry(key: "age", value: ageList($0.age), line: nil)])
            }), line: nil))
        } else if let group = keyGroups.first {
            items.append(.entry(key: "age", value: ageList(group.age), line: nil))
        }
        items.append(.entry(key: "lastmodified", value: .scalar(.string(lastModified)), line: nil))
        items.append(.entry(key: "mac", value: .scalar(.string(mac)), line: nil))
        let selection = effectiveSelection
        items.append(.entry(key: selection.key, value: .scalar(.string(selection.value)), line: nil))
        if macOnlyEncrypted { items.append(.entry(key: "mac_only_encrypted", value: .scalar(.bool(true)), line: nil)) }
        items.append(.entry(key: "version", value: .scalar(.string(version)), line: nil))
        return .mapping(items)
    }
}
