import Foundation
import Manifests

/// A `.sops.yaml` file: its creation rules, read with line marks so problems point at the
/// offending line. Follows sops' semantics: the first rule whose `path_regex` matches the
/// file's path (relative to the config's folder, unanchored) wins; a rule without
/// `path_regex` matches everything.
public struct SOPSConfig: Sendable {
    public static let fileName = ".sops.yaml"

    /// An age recipient as written in the config, with where it was written.
    public struct Recipient: Sendable, Hashable {
        public var value: String
        public var mark: Mark?

        public init(value: String, mark: Mark? = nil) {
            self.value = value
            self.mark = mark
        }
    }

    /// One key group: its age recipients, and the names of other key types it lists.
    public struct KeyGroup: Sendable, Hashable {
        public var age: [Recipient]
        public var otherKeyTypes: [String]

        public init(age: [Recipient], otherKeyTypes: [String] = []) {
            self.age = age
            self.otherKeyTypes = otherKeyTypes
        }
    }

    /// One entry of `creation_rules`.
    public struct CreationRule: Sendable {
        public var index: Int
        public var mark: Mark
        public var pathRegex: String?
        public var keyGroups: [KeyGroup]
        public var shamirThreshold: Int?
        public var selection: EncryptionSelection?
        public var macOnlyEncrypted: Bool

        /// Every age recipient of every group.
        public var allRecipients: [Recipient] { keyGroups.flatMap(\.age) }

        /// The selection sops applies (the default when none is set).
        public var effectiveSelection: EncryptionSelection { selection ?? .default }

        /// True when the rule applies to `relativePath` (relative to the config's folder).
        public func matches(_ relativePath: String) -> Bool {
            guard let pathRegex else { return true }
            return RegexCache.shared.matches(pathRegex, relativePath)
        }
    }

    /// Something wrong in the file, with where.
    public struct Problem: Sendable, Hashable {
        public var message: String
        public var mark: Mark?
    }

    public var rules: [CreationRule]
    public var problems: [Problem]

    public init(rules: [CreationRule] = [], problems: [Problem] = []) {
        self.rules = rules
        self.problems = problems
    }

    /// The first rule matching `relativePath`, as sops picks it.
    public func rule(for relativePath: String) -> CreationRule? {
        rules.first { $0.matches(relativePath) }
    }

    /// Reads a `.sops.yaml` text. Never throws: problems are collected with their marks.
    public static func parse(_ text: String) -> SOPSConfig {
        var config = SOPSConfig()
        let root: YAMLNode?
        switch YAMLParser.parseSingle(text) {
        case .success(let node): root = node
        case .failure(let error):
            config.problems.append(Problem(message: "does not parse: \(error.message)", mark: error.mark))
            return config
        }
        guard let root, let mapping = root.mapping else {
            config.problems.append(Problem(message: "is empty or not a mapping; it needs creation_rules", mark: root?.mark))
            return config
        }
        guard let rulesNode = mapping["creation_rules"] else {
            config.problems.append(Problem(message: "has no creation_rules", mark: root.mark))
            return config
        }
        guard let items = rulesNode.sequence?.items else {
            config.problems.append(Problem(message: "creation_rules must be a list", mark: rulesNode.mark))
            return config
        }
        for (index, item) in items.enumerated() {
            config.rules.append(parseRule(item, index: index, problems: &config.problems))
        }
        return config
    }

    private static func parseRule(_ node: YAMLNode, index: Int, problems: inout [Problem]) -> CreationRule {
        var rule = CreationRule(index: index, mark: node.mark, pathRegex: nil, keyGroups: [], shamirThreshold: nil,
                                selection: nil, macOnlyEncrypted: false)
        guard let mapping = node.mapping else {
            problems.append(Problem(message: "creation rule \(index + 1) is not a mapping", mark: node.mark))
            return rule
        }
        var topLevelGroup = KeyGroup(age: [])
        for entry in mapping.entries {
            let key = entry.key.scalar?.value ?? ""
            switch key {
            case "path_regex":
                rule.pathRegex = entry.value.string
                if let pattern = rule.pathRegex, RegexCache.shared.regex(pattern) == nil {
                    problems.append(Problem(message: "path_regex '\(pattern)' is not a valid regular expression", mark: entry.value.mark))
                }
            case "age":
                topLevelGroup.age += recipients(entry.value)
            case "key_groups":
                for group in entry.value.sequence?.items ?? [] {
                    var keyGroup = KeyGroup(age: [])
                    for groupEntry in group.mapping?.entries ?? [] {
                        let groupKey = groupEntry.key.scalar?.value ?? ""
                        if groupKey == "age" {
                            keyGroup.age += recipients(groupEntry.value)
                        } else if !isEmptyList(groupEntry.value) {
                            keyGroup.otherKeyTypes.append(groupKey)
                        }
                    }
                    rule.keyGroups.append(keyGroup)
                }
            case "shamir_threshold":
                rule.shamirThreshold = entry.value.int
                if rule.shamirThreshold == nil {
                    problems.append(Problem(message: "shamir_threshold must be an integer", mark: entry.value.mark))
                }
            case "mac_only_encrypted":
                rule.macOnlyEncrypted = entry.value.bool ?? false
            case _ where EncryptionSelection.keys.contains(key):
                guard let value = entry.value.string, let selection = EncryptionSelection(key: key, value: value) else {
                    problems.append(Problem(message: "\(key) must be a string", mark: entry.value.mark))
                    continue
                }
                if rule.selection != nil {
                    problems.append(Problem(message: "a creation rule may set only one of \(EncryptionSelection.keys.joined(separator: ", "))", mark: entry.key.mark))
                }
                if let error = selection.regexError {
                    problems.append(Problem(message: "\(key) \(error)", mark: entry.value.mark))
                }
                rule.selection = selection
            case "pgp", "kms", "gcp_kms", "azure_keyvault", "hc_vault_transit_uri", "hckms":
                if !isEmptyList(entry.value) { topLevelGroup.otherKeyTypes.append(key) }
            default:
                break
            }
        }
        if !topLevelGroup.age.isEmpty || !topLevelGroup.otherKeyTypes.isEmpty {
            if rule.keyGroups.isEmpty {
                rule.keyGroups = [topLevelGroup]
            } else {
                problems.append(Problem(message: "creation rule \(index + 1) sets both key_groups and top-level keys; sops uses key_groups only", mark: node.mark))
            }
        }
        return rule
    }

    private static func isEmptyList(_ node: YAMLNode) -> Bool {
        node.isNull || node.sequence?.items.isEmpty == true || node.string?.isEmpty == true
    }

    /// `age:` as a comma-separated string (plain or folded) or as a list.
    private static func recipients(_ node: YAMLNode) -> [Recipient] {
        if let items = node.sequence?.items {
            return items.flatMap { item -> [Recipient] in
                guard let text = item.string else { return [] }
                return split(text, mark: item.mark, style: item.scalar?.style ?? .plain)
            }
        }
        guard let text = node.string else { return [] }
        return split(text, mark: node.mark, style: node.scalar?.style ?? .plain)
    }

    private static func split(_ text: String, mark: Mark, style: YAMLScalar.Style) -> [Recipient] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        // A block scalar starts on the line after its indicator; one recipient per line is
        // the usual way to write it, so point each at its own line.
        let isBlock = style == .folded || style == .literal
        return parts.enumerated().map { offset, value in
            let line = isBlock ? mark.line + 1 + offset : mark.line
            return Recipient(value: value, mark: Mark(line: line, column: isBlock ? 1 : mark.column))
        }
    }

    /// The `.sops.yaml` sops would use from `directory`: that folder or the nearest parent
    /// holding one (up to 100 levels).
    public static func locate(from directory: String) -> String? {
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        for _ in 0..<100 {
            let candidate = url.appendingPathComponent(fileName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return nil
    }
}
