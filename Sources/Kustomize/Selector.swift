import Foundation
import Manifests

/// A patch or replacement target: every field optional; `name` and `namespace` are regular
/// expressions matched against the whole value; label and annotation selectors use the
/// Kubernetes selector syntax.
struct TargetSelector {
    var group: String?
    var version: String?
    var kind: String?
    var name: String?
    var namespace: String?
    var labelSelector: String?
    var annotationSelector: String?

    init(node: YAMLNode) {
        group = node["group"]?.string
        version = node["version"]?.string
        kind = node["kind"]?.string
        name = node["name"]?.string
        namespace = node["namespace"]?.string
        labelSelector = node["labelSelector"]?.string
        annotationSelector = node["annotationSelector"]?.string
    }

    init(kind: String?, name: String?, namespace: String? = nil) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    func matches(_ resource: Resource) throws -> Bool {
        let gvk = resource.gvk
        if let group, !group.isEmpty, group != gvk.group { return false }
        if let version, !version.isEmpty, version != gvk.version { return false }
        if let kind, !kind.isEmpty, !(try Self.fullMatch(kind, resource.kind)) { return false }
        if let name, !name.isEmpty, !(try Self.fullMatch(name, resource.name)) { return false }
        if let namespace, !namespace.isEmpty, !(try Self.fullMatch(namespace, resource.namespace)) { return false }
        if let labelSelector, !labelSelector.isEmpty {
            guard try LabelSelector(labelSelector).matches(resource.labels) else { return false }
        }
        if let annotationSelector, !annotationSelector.isEmpty {
            guard try LabelSelector(annotationSelector).matches(resource.annotations) else { return false }
        }
        return true
    }

    /// Matches `pattern` against the whole of `value` (kustomize anchors its regexes).
    static func fullMatch(_ pattern: String, _ value: String) throws -> Bool {
        if pattern == value { return true }
        if !pattern.contains(where: { "\\.*+?[](){}|^$".contains($0) }) { return false }
        guard let regex = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$") else {
            throw SelectorError(message: "invalid regular expression '\(pattern)' in a target")
        }
        return regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }
}

struct SelectorError: Error {
    var message: String
}

/// A Kubernetes label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`.
struct LabelSelector {
    enum Requirement {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case notExists(String)
    }

    var requirements: [Requirement] = []

    init(_ text: String) throws {
        for part in Self.splitTopLevel(text) {
            let term = part.trimmingCharacters(in: .whitespaces)
            if term.isEmpty { continue }
            if let range = term.range(of: " notin ") ?? term.range(of: " in ") {
                let key = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let isNot = term[range].contains("notin")
                let list = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard list.hasPrefix("("), list.hasSuffix(")") else { throw SelectorError(message: "invalid selector '\(text)'") }
                let values = Set(list.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                requirements.append(isNot ? .notIn(key, values) : .isIn(key, values))
            } else if let range = term.range(of: "!=") {
                requirements.append(.notEquals(term[..<range.lowerBound].trimmingCharacters(in: .whitespaces),
                                               term[range.upperBound...].trimmingCharacters(in: .whitespaces)))
            } else if let range = term.range(of: "==") ?? term.range(of: "=") {
                requirements.append(.equals(term[..<range.lowerBound].trimmingCharacters(in: .whitespaces),
                                            term[range.upperBound...].trimmingCharacters(in: .whitespaces)))
            } else if term.hasPrefix("!") {
                requirements.append(.notExists(term.dropFirst().trimmingCharacters(in: .whitespaces)))
            } else {
                requirements.append(.exists(term))
            }
        }
    }

    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    func matches(_ pairs: [(String, String)]) -> Bool {
        var values: [String: String] = [:]
        for (key, value) in pairs { values[key] = value }
        return requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): return values[key] == value
            case .notEquals(let key, let value): return values[key] != value
            case .isIn(let key, let set): return values[key].map(set.contains) ?? false
            case .notIn(let key, let set): return values[key].map { !set.contains($0) } ?? true
            case .exists(let key): return values[key] != nil
            case .notExists(let key): return values[key] == nil
            }
        }
    }
}
