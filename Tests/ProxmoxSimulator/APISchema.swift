import Foundation
import Proxmox

/// The Proxmox VE API schema (`pve-apidoc.json`), flattened to path template → method → info.
public final class APISchema: Sendable {
    /// `"/nodes/{node}/qemu"` → `"POST"` → the method's info (parameters, permissions, returns).
    public let methods: [String: [String: JSONValue]]
    private let templates: [[String]]

    /// Loads and walks the raw tree.
    public init(apidocPath: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: apidocPath))
        guard let root = JSONValue.parse(data)?.array else {
            throw SimulatorError("\(apidocPath) is not the Proxmox API tree")
        }
        var flat: [String: [String: JSONValue]] = [:]
        var stack = root
        while let node = stack.popLast() {
            if let path = node["path"]?.string, let info = node["info"]?.object { flat[path] = info }
            stack.append(contentsOf: node["children"]?.array ?? [])
        }
        methods = flat
        templates = flat.keys.sorted().map { $0.split(separator: "/").map(String.init) }
    }

    /// The template a concrete path belongs to and the values of its `{placeholders}`;
    /// literal segments beat placeholders.
    public func match(_ path: String) -> (template: String, parameters: [String: String])? {
        let segments = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        var best: (score: Int, template: [String], parameters: [String: String])?
        for template in templates where template.count == segments.count {
            var score = 0
            var parameters: [String: String] = [:]
            var ok = true
            for (pattern, segment) in zip(template, segments) {
                if pattern.hasPrefix("{"), pattern.hasSuffix("}") {
                    parameters[String(pattern.dropFirst().dropLast())] = segment
                } else if pattern == segment {
                    score += 1
                } else {
                    ok = false
                    break
                }
            }
            if ok, score > (best?.score ?? -1) { best = (score, template, parameters) }
        }
        guard let best else { return nil }
        return ("/" + best.template.joined(separator: "/"), best.parameters)
    }
}

/// A failure of the simulator's own setup.
public struct SimulatorError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
