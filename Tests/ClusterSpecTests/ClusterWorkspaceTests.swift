import ClusterSpec
import Foundation
import HomeportCore
import TestSupport
import Testing

struct ClusterWorkspaceTests {
    private func usageMessage(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as HomeportError {
            return error.kind == .usage ? error.message : "not a usage error: \(error.message)"
        } catch {
            return "unexpected error \(error)"
        }
    }

    @Test func selectsTheOnlyDefinitionByDefault() throws {
        let repo = try TemporaryRepo(files: [ClusterFixtures.path: ClusterFixtures.valid, "config/clusters/README.md": "docs\n"])
        let workspace = ClusterWorkspace(root: repo.root)
        #expect(try workspace.selectDefinition(named: nil) == ClusterFixtures.path)
        #expect(try workspace.selectDefinition(named: "lab") == ClusterFixtures.path)
        #expect(usageMessage { _ = try workspace.selectDefinition(named: "prod") }?.contains("the clusters are lab") == true)
    }

    @Test func severalDefinitionsNeedAChoice() throws {
        let repo = try TemporaryRepo(files: [
            ClusterFixtures.path: ClusterFixtures.valid,
            "config/clusters/edge.yml": ClusterFixtures.valid.replacingOccurrences(of: "name: lab\n", with: "name: edge\n"),
        ])
        let workspace = ClusterWorkspace(root: repo.root)
        let message = usageMessage { _ = try workspace.selectDefinition(named: nil) }
        #expect(message?.contains("several clusters (edge, lab); choose one with --cluster NAME") == true, "\(message ?? "")")
        #expect(try workspace.selectDefinition(named: "edge") == "config/clusters/edge.yml")
        let edge = try workspace.load(named: "edge")
        #expect(edge.isValid)
        #expect(try workspace.renderEnv(edge).hasPrefix("# generated from config/clusters/edge.yml by"))
    }

    @Test func noDefinitionIsAUsageError() throws {
        let repo = try TemporaryRepo(files: ["README.md": "x\n"])
        #expect(usageMessage { _ = try ClusterWorkspace(root: repo.root).selectDefinition(named: nil) }?.contains("no cluster definition") == true)
    }

    @Test func envCheckDetectsMissingDriftAndWriteFixesIt() throws {
        let repo = try TemporaryRepo(files: [ClusterFixtures.path: ClusterFixtures.valid])
        let workspace = ClusterWorkspace(root: repo.root)
        let loaded = try workspace.load(named: nil)
        #expect(try workspace.envState(loaded) == .missing)

        let written = try workspace.writeEnv(loaded)
        #expect(written.path == "config/env/lab.env")
        #expect(written.changed)
        #expect(try workspace.envState(loaded) == .upToDate)
        #expect(try workspace.writeEnv(loaded).changed == false, "an up-to-date file is left alone")

        let edited = try #require(repo.read("config/env/lab.env")).replacingOccurrences(of: "GATEWAY=10.0.0.1", with: "GATEWAY=10.0.0.254")
        try repo.write("config/env/lab.env", edited)
        let state = try workspace.envState(loaded)
        #expect(state == .drifted(line: 14, expected: "GATEWAY=10.0.0.1"))
        let message = ClusterWorkspace.driftMessage(state, envPath: "config/env/lab.env", definitionPath: loaded.path)
        #expect(message?.contains("run `homeport cluster env --write`") == true)

        try workspace.writeEnv(loaded)
        #expect(try workspace.envState(loaded) == .upToDate)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: repo.root + "/config/env").filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "atomic writes leave no temporary files")
    }

    @Test func anInvalidDefinitionDerivesNothing() throws {
        let repo = try TemporaryRepo(files: [ClusterFixtures.path: ClusterFixtures.variant([("gateway: 10.0.0.1", "gateway: 10.0.9.1")])])
        let workspace = ClusterWorkspace(root: repo.root)
        let loaded = try workspace.load(named: nil)
        #expect(throws: HomeportError.self) { try workspace.writeEnv(loaded) }
        #expect(repo.read("config/env/lab.env") == nil)
    }

    @Test func binaryDefinitionIsAnIssue() throws {
        let repo = try TemporaryRepo()
        try repo.write(ClusterFixtures.path, Data([0x00, 0xFF, 0x10]))
        let loaded = try ClusterWorkspace(root: repo.root).load(named: nil)
        #expect(loaded.definition == nil)
        #expect(loaded.issues.first?.message.contains("binary") == true)
    }
}
