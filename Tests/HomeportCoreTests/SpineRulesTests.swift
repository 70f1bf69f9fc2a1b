import Foundation
import Testing
import TestSupport

/// Rules about the package's shape that keep the one spine one: they read the sources.
@Suite("the spine")
struct SpineRulesTests {
    /// Every Swift source under `Sources/`, as (path relative to the package, text).
    static func sources() throws -> [(path: String, text: String)] {
        let root = SharedData.packageRoot + "/Sources"
        let paths = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        return try paths.sorted().map { ("Sources/" + $0, try String(contentsOfFile: root + "/" + $0, encoding: .utf8)) }
    }

    @Test("one place starts processes: HomeportCore/Processes (clean signal mask, own group, stoppable)")
    func onePlaceStartsProcesses() throws {
        let starters = ["Process()", "posix_spawn(", "fork()", "execve(", "system("]
        let offenders = try Self.sources().filter { source in
            !source.path.hasPrefix("Sources/HomeportCore/Processes/") && starters.contains { source.text.contains($0) }
        }.map(\.path)
        #expect(offenders.isEmpty, "processes started outside the runner: \(offenders)")
        #expect(try Self.sources().contains { $0.path.hasPrefix("Sources/HomeportCore/Processes/") && $0.text.contains("posix_spawn(") })
    }

    @Test("one module imports Yams: Manifests")
    func oneModuleImportsYams() throws {
        let importers = try Self.sources().filter { $0.text.contains("import Yams") }.map(\.path)
        #expect(!importers.isEmpty)
        #expect(importers.allSatisfy { $0.hasPrefix("Sources/Manifests/") }, "\(importers)")
    }
}
