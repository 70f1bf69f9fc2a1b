import Foundation
import HomeportCore

/// One external tool as `homeport doctor` sees it.
public struct ToolReport: Sendable, Hashable, Codable {
    public var name: String
    public var path: String?
    public var version: String?
    public var ok: Bool
    public var note: String
}

/// Which external programs are installed and whether their versions fit the cluster.
public struct Doctor: Sendable {
    public let runner: ProcessRunner
    public let talosVersion: String?
    public let kubernetesVersion: String?

    public init(runner: ProcessRunner, talosVersion: String?, kubernetesVersion: String?) {
        self.runner = runner
        self.talosVersion = talosVersion
        self.kubernetesVersion = kubernetesVersion
    }

    /// `v1.13.9` in any text → (1, 13, 9).
    static func version(in text: String) -> (Int, Int, Int)? {
        guard let range = text.range(of: #"v?\d+\.\d+\.\d+"#, options: .regularExpression) else { return nil }
        let parts = text[range].drop { $0 == "v" }.split(separator: ".").compactMap { Int($0) }
        return parts.count == 3 ? (parts[0], parts[1], parts[2]) : nil
    }

    public func check() async -> [ToolReport] {
        var reports: [ToolReport] = []
        reports.append(await tool("talosctl", ["version", "--client", "--short"], required: "stages talos and check") { found in
            guard let wanted = talosVersion.flatMap(Self.version(in:)) else { return (true, "") }
            if found.0 == wanted.0 && found.1 == wanted.1 { return (true, "minor matches talos.version v\(wanted.0).\(wanted.1)") }
            return (false, "talos.version is v\(wanted.0).\(wanted.1).\(wanted.2): install talosctl v\(wanted.0).\(wanted.1).x")
        })
        reports.append(await tool("kubectl", ["version", "--client"], required: "stages flux and check") { found in
            guard let wanted = kubernetesVersion.flatMap(Self.version(in:)) else { return (true, "") }
            if found.0 == wanted.0 && abs(found.1 - wanted.1) <= 1 { return (true, "within one minor of Kubernetes v\(wanted.0).\(wanted.1)") }
            return (false, "Kubernetes is v\(wanted.0).\(wanted.1): kubectl should be within one minor version")
        })
        reports.append(await tool("git", ["--version"], required: "the flux stage and check") { _ in (true, "") })
        reports.append(await tool("sops", ["--version"], required: "optional: homeport encrypts natively", optional: true) { _ in (true, "") })
        reports.append(await tool("age", ["--version"], required: "optional: homeport encrypts natively", optional: true) { _ in (true, "") })
        return reports
    }

    private func tool(_ name: String, _ arguments: [String], required: String, optional: Bool = false,
                      judge: ((Int, Int, Int)) -> (Bool, String)) async -> ToolReport {
        guard let path = runner.which(name) else {
            return ToolReport(name: name, path: nil, version: nil, ok: optional, note: "not installed (needed for \(required))")
        }
        // A tool that hangs must not hang doctor: it is stopped after 30 seconds.
        guard let result = try? await runner.run(name, arguments, timeout: .seconds(30)), let found = Self.version(in: result.output + result.error) else {
            return ToolReport(name: name, path: path, version: nil, ok: false, note: "installed, but its version could not be read")
        }
        let (ok, note) = judge(found)
        return ToolReport(name: name, path: path, version: "v\(found.0).\(found.1).\(found.2)", ok: ok, note: note)
    }

    public static func render(_ reports: [ToolReport]) -> String {
        reports.map { report in
            let mark = report.ok ? "ok  " : "FAIL"
            let version = report.version ?? "-"
            return "\(mark) \(report.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(version.padding(toLength: 10, withPad: " ", startingAt: 0)) \(report.path ?? "")\(report.note.isEmpty ? "" : "  (\(report.note))")"
        }.joined(separator: "\n") + "\n"
    }
}
