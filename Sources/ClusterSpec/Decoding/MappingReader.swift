import Manifests

/// Reads the keys of one mapping of the cluster definition: required and optional values,
/// and unknown keys (with a suggestion when one is close).
struct MappingReader {
    let mapping: YAMLMapping
    /// The key path of the mapping, e.g. `network` or `nodes[0]`; empty at the root.
    let path: String
    let state: DecodingState

    /// Nil (and an issue) when `node` is not a mapping. Reports unknown keys right away.
    init?(_ node: YAMLNode, path: String, knownKeys: [String], state: DecodingState) {
        guard let mapping = node.mapping else {
            let name = path.isEmpty ? "the cluster definition" : path
            state.report("\(name) must be a mapping, found \(DecodingState.describe(node))", at: node.mark)
            return nil
        }
        self.mapping = mapping
        self.path = path
        self.state = state
        state.marks.record(value: mapping.mark, at: path)
        reportUnknownKeys(knownKeys)
    }

    private func reportUnknownKeys(_ known: [String]) {
        for entry in mapping.entries {
            guard let key = entry.key.scalar?.value else {
                state.report("\(path.isEmpty ? "the cluster definition" : path) has a key that is not a plain name", at: entry.key.mark)
                continue
            }
            guard !known.contains(key) else { continue }
            let keyPath = DecodingState.join(path, key)
            if SecretKeyName.isSecretLike(key) {
                state.report("\(keyPath) looks like a secret, and the cluster definition holds none: give the Proxmox token secret in PROXMOX_TOKEN_SECRET or in a SOPS-encrypted proxmox.tokenSecretFile",
                             at: entry.key.mark)
            } else if let suggestion = KeySuggestion.suggestion(for: key, among: known) {
                state.report("unknown key \(keyPath); did you mean \(suggestion)?", at: entry.key.mark)
            } else {
                state.report("unknown key \(keyPath); \(path.isEmpty ? "the cluster definition" : path) has \(known.joined(separator: ", "))", at: entry.key.mark)
            }
        }
    }

    /// The value under `key`; a missing or empty value is an issue and makes the definition incomplete.
    func required<Value>(_ key: String, _ decoder: ValueDecoder<Value>) -> Value? {
        let keyPath = DecodingState.join(path, key)
        guard let entry = mapping.entry(key) else {
            state.report("\(path.isEmpty ? "the cluster definition" : path) has no \(key) (\(decoder.expected))", at: mapping.mark)
            state.isComplete = false
            return nil
        }
        record(entry, keyPath)
        guard !DecodingState.isEmpty(entry.value) else {
            state.report("\(keyPath) is empty; it must be \(decoder.expected)", at: entry.key.mark)
            state.isComplete = false
            return nil
        }
        return decode(entry.value, keyPath, decoder)
    }

    /// The value under `key`, or nil when it is absent or empty. A value that is present but
    /// wrong is an issue.
    func optional<Value>(_ key: String, _ decoder: ValueDecoder<Value>) -> Value? {
        guard let entry = mapping.entry(key) else { return nil }
        let keyPath = DecodingState.join(path, key)
        record(entry, keyPath)
        guard !DecodingState.isEmpty(entry.value) else { return nil }
        return decode(entry.value, keyPath, decoder)
    }

    /// Decodes a present value. Any issue it raises (even one the decoder recovers from, like
    /// a CIDR with host bits set) means no definition is built from the file.
    private func decode<Value>(_ node: YAMLNode, _ keyPath: String, _ decoder: ValueDecoder<Value>) -> Value? {
        let issuesBefore = state.issues.count
        let value = decoder.decode(node, keyPath, state)
        if value == nil || state.issues.count > issuesBefore { state.isComplete = false }
        return value
    }

    /// The node under `key`, for sections decoded by their own reader.
    func node(_ key: String) -> YAMLNode? {
        guard let entry = mapping.entry(key) else { return nil }
        record(entry, DecodingState.join(path, key))
        return entry.value
    }

    /// Reports a missing required section.
    func reportMissing(_ key: String, _ expected: String) {
        state.report("\(path.isEmpty ? "the cluster definition" : path) has no \(key) (\(expected))", at: mapping.mark)
        state.isComplete = false
    }

    private func record(_ entry: YAMLMapping.Entry, _ keyPath: String) {
        state.marks.record(key: entry.key.mark, at: keyPath)
        state.marks.record(value: entry.value.mark, at: keyPath)
    }
}
