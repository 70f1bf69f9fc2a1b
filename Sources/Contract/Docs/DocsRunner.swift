import Foundation
import HomeportCore
import Manifests

/// `homeport docs`: regenerate the marked sections of docs/architecture.md, or report which
/// are stale.
public enum DocsRunner {
    /// Sections that are out of date, as `path:line: message` lines (empty when current).
    public static func check(repoRoot: String) throws -> [String] {
        let context = try context(repoRoot)
        guard context.snapshot.file(ArchitectureDocs.path) != nil else {
            throw HomeportError("\(ArchitectureDocs.path) does not exist")
        }
        return ArchitectureDocs.staleSections(context).map {
            "\(ArchitectureDocs.path):\($0.line): section '\($0.name)' is out of date; run `homeport docs`"
        }
    }

    /// Rewrites the document; returns whether it changed.
    @discardableResult
    public static func write(repoRoot: String) throws -> Bool {
        let context = try context(repoRoot)
        guard let current = context.snapshot.file(ArchitectureDocs.path)?.text,
              let regenerated = ArchitectureDocs.regenerate(context) else {
            throw HomeportError("\(ArchitectureDocs.path) does not exist")
        }
        guard regenerated != current else { return false }
        try AtomicFile.write(regenerated, to: URL(fileURLWithPath: repoRoot).appendingPathComponent(ArchitectureDocs.path))
        return true
    }

    private static func context(_ root: String) throws -> RuleContext {
        let configuration = try CheckRunner.loadConfiguration(root: root)
        var scanner = RepoScanner()
        scanner.isSkipped = { configuration.isSkipped($0) }
        return RuleContext(snapshot: try scanner.scan(root: root), configuration: configuration)
    }
}
