import Contract
import Foundation
import HomeportCore
import Manifests

/// `homeport check` for agents: the whole repository, some paths, or the repository with a
/// proposed diff applied in memory. Runs the same ``Checker`` in-process.
enum HarnessCheck {
    struct Result {
        var report: CheckReport
        /// Files the diff touched, when a diff was checked.
        var changedPaths: [String]
    }

    static func run(root: String, paths: [String], diff: String?) throws -> Result {
        let configuration = try CheckRunner.loadConfiguration(root: root)
        var scanner = RepoScanner()
        scanner.isSkipped = { configuration.isSkipped($0) }
        var snapshot = try scanner.scan(root: root)
        var changed: [String] = []
        if let diff, !diff.isEmpty {
            let current = snapshot
            let updates: [String: String?]
            do {
                updates = try UnifiedDiff.apply(diff) { current.file($0)?.text }
            } catch {
                throw HomeportError.usage("the diff does not apply: \(error.description)")
            }
            var files = Dictionary(uniqueKeysWithValues: snapshot.files.map { ($0.path, $0) })
            for (path, content) in updates {
                if let content {
                    files[path] = RepoScanner.makeFile(path: path, size: content.utf8.count, isExecutable: false, content: .text(content))
                } else {
                    files[path] = nil
                }
            }
            snapshot = RepoSnapshot(root: snapshot.root, files: Array(files.values))
            changed = updates.keys.sorted()
        }
        var findings = Checker(configuration: configuration).check(snapshot)
        let focus = paths.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } + changed
        if !focus.isEmpty {
            findings = findings.filter { finding in
                focus.contains { finding.location.path == $0 || finding.location.path.hasPrefix($0 + "/") || $0.hasPrefix(finding.location.path + "/") }
            }
        }
        return Result(report: CheckReport(findings: findings, fileCount: snapshot.files.count, durationMilliseconds: 0), changedPaths: changed)
    }
}
