import HomeportCore
import Manifests

/// Repository settings from `homeport.yaml`, the way `.swiftlint.yml` tunes SwiftLint. The
/// defaults come from the contract; this file only relaxes or sharpens them.
public struct Configuration: Sendable {
    public static let fileName = "homeport.yaml"

    /// Per-rule severity; `nil` turns a rule off.
    public var severities: [String: Severity?] = [:]
    /// Globs of paths no rule looks at (the scanner does not even read them).
    public var skip: [Glob] = []
    /// Top-level directories allowed besides those of the contract document.
    public var extraTopLevel: Set<String> = []
    /// Findings to drop: a rule id (or `*`) and a path glob.
    public var allow: [(rule: String, path: Glob)] = []

    public init() {}

    /// Reads `homeport.yaml`. Problems are errors with file and line: a typo in the
    /// configuration should not silently switch checks off.
    public static func load(text: String, path: String = fileName) throws -> Configuration {
        var configuration = Configuration()
        let root: YAMLNode?
        switch YAMLParser.parseSingle(text) {
        case .success(let node): root = node
        case .failure(let error):
            throw HomeportError.usage(error.message, at: SourceLocation(path: path, line: error.mark?.line, column: error.mark?.column))
        }
        guard let root else { return configuration }
        guard let mapping = root.mapping else {
            throw HomeportError.usage("expected a mapping", at: location(path, root.mark))
        }
        for entry in mapping.entries {
            let key = entry.key.scalar?.value ?? ""
            switch key {
            case "severities":
                for item in entry.value.mapping?.entries ?? [] {
                    let value = item.value.string ?? ""
                    if value == "off" {
                        configuration.severities[item.key.scalar?.value ?? ""] = .some(nil)
                    } else if let severity = Severity(rawValue: value) {
                        configuration.severities[item.key.scalar?.value ?? ""] = severity
                    } else {
                        throw HomeportError.usage("severity must be error, warning, notice or off, not '\(value)'", at: location(path, item.value.mark))
                    }
                }
            case "skip":
                configuration.skip = try strings(entry.value, path).map(Glob.init)
            case "allowedTopLevel":
                configuration.extraTopLevel = Set(try strings(entry.value, path))
            case "allow":
                for item in entry.value.sequence?.items ?? [] {
                    guard let rule = item["rule"]?.string, let glob = item["path"]?.string else {
                        throw HomeportError.usage("each allow entry needs 'rule' and 'path'", at: location(path, item.mark))
                    }
                    configuration.allow.append((rule, Glob(glob)))
                }
            default:
                throw HomeportError.usage("unknown key '\(key)' (expected severities, skip, allowedTopLevel, allow)", at: location(path, entry.key.mark))
            }
        }
        return configuration
    }

    /// True when a finding is allowed away by an `allow` entry.
    public func isAllowed(_ finding: Finding) -> Bool {
        allow.contains { ($0.rule == "*" || $0.rule == finding.ruleID) && $0.path.matches(finding.location.path) }
    }

    /// True when the scanner should leave the path out.
    public func isSkipped(_ path: String) -> Bool {
        skip.contains { $0.matches(path) }
    }

    private static func strings(_ node: YAMLNode, _ path: String) throws -> [String] {
        guard let items = node.sequence?.items else {
            throw HomeportError.usage("expected a list", at: location(path, node.mark))
        }
        return try items.map {
            guard let text = $0.string else { throw HomeportError.usage("expected a string", at: location(path, $0.mark)) }
            return text
        }
    }

    private static func location(_ path: String, _ mark: Mark) -> SourceLocation {
        SourceLocation(path: path, line: mark.line, column: mark.column)
    }
}
