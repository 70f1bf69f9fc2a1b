import Contract
import Manifests

/// A task of `ai/tasks.md`: a `## task-id` heading, a fenced `yaml` block with `title`,
/// `role`, `layers` and `acceptance`, then prose for the agent.
public struct TaskSpec: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var role: AgentRole
    public var layers: [String]
    public var acceptance: [String]
    public var prose: String
    /// Line of the heading in the file.
    public var line: Int
    /// Problems with the spec (missing keys, layers outside the writable ones).
    public var problems: [String]

    /// True when a repo-relative path lies inside one of the task's layers.
    public func allows(_ path: String) -> Bool {
        layers.contains { layer in
            let folder = layer.hasSuffix("/") ? String(layer.dropLast()) : layer
            return path == folder || path.hasPrefix(folder + "/")
        }
    }
}

/// Reads `ai/tasks.md`. Lenient: a task with problems is still returned, with its problems.
public enum TaskFile {
    public static let path = "ai/tasks.md"

    public static func parse(_ text: String) -> [TaskSpec] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var tasks: [TaskSpec] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix("## ") else {
                index += 1
                continue
            }
            let id = String(lines[index].dropFirst(3)).trimming(" \t`")
            let headingLine = index + 1
            index += 1
            var yaml: String?
            var prose: [String] = []
            while index < lines.count, !lines[index].hasPrefix("## ") {
                let trimmed = lines[index].trimming(" \t")
                if yaml == nil, trimmed.hasPrefix("```yaml") || trimmed.hasPrefix("```yml") {
                    var block: [String] = []
                    index += 1
                    while index < lines.count, !lines[index].trimming(" \t").hasPrefix("```") {
                        block.append(lines[index])
                        index += 1
                    }
                    yaml = block.joined(separator: "\n")
                } else {
                    prose.append(lines[index])
                }
                index += 1
            }
            tasks.append(spec(id: id, yaml: yaml, prose: prose.joined(separator: "\n").trimming("\n "), line: headingLine))
        }
        return tasks
    }

    static func spec(id: String, yaml: String?, prose: String, line: Int) -> TaskSpec {
        var problems: [String] = []
        var title = ""
        var role = AgentRole.engineer
        var layers: [String] = []
        var acceptance: [String] = []
        if let yaml {
            switch YAMLParser.parseSingle(yaml) {
            case .failure(let error):
                problems.append("the yaml block does not parse: \(error.message)")
            case .success(let node):
                title = node?["title"]?.string ?? ""
                if let value = node?["role"]?.string {
                    if let parsed = AgentRole(rawValue: value.lowercased()) { role = parsed } else { problems.append("unknown role '\(value)'") }
                } else {
                    problems.append("no role")
                }
                layers = node?["layers"]?.sequence?.items.compactMap(\.string) ?? []
                acceptance = node?["acceptance"]?.sequence?.items.compactMap(\.string) ?? []
            }
        } else {
            problems.append("no ```yaml block after the heading")
        }
        if title.isEmpty { problems.append("no title") }
        for layer in layers where !AgentPolicy.isWritable(layer.hasSuffix("/") ? layer + "x" : layer) {
            problems.append("layer \(layer) is outside the agent-writable layers")
        }
        return TaskSpec(id: id, title: title, role: role, layers: layers, acceptance: acceptance, prose: prose, line: line, problems: problems)
    }
}

extension String {
    func trimming(_ characters: String) -> String {
        var text = Substring(self)
        while let first = text.first, characters.contains(first) { text.removeFirst() }
        while let last = text.last, characters.contains(last) { text.removeLast() }
        return String(text)
    }
}
