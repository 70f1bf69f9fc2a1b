import Foundation
import HomeportCore
import MCP
import Testing
import TestSupport
@testable import AgentHarness

/// `homeport ai mcp` spawned as a real process, driven by the MCP SDK's client over stdio.
final class SpawnedServer: Sendable {
    let process: ChildProcess
    let client = Client(name: "homeport-tests", version: "1.0")

    init(role: AgentRole, repo: String) async throws {
        process = try ProcessRunner().start(ProcessInvocation(
            HomeportBinary.path, ["ai", "mcp", "--role", role.rawValue, "--repo", repo],
            input: .pipe, output: .capture, error: .discard))
        let fromServer = try #require(process.standardOutput)
        let toServer = try #require(process.standardInput)
        let transport = StdioTransport(input: .init(rawValue: fromServer.fileDescriptor),
                                       output: .init(rawValue: toServer.fileDescriptor))
        _ = try await client.connect(transport: transport)
    }

    func call(_ name: String, _ arguments: [String: Value] = [:]) async throws -> CallTool.Result {
        let context: RequestContext<CallTool.Result> = try await client.callTool(name: name, arguments: arguments)
        return try await context.value
    }

    deinit {
        process.terminate(grace: .seconds(1))
        process.waitForExit()
    }

    func stop() async {
        await client.disconnect()
        try? process.standardInput?.close()
        process.terminate(grace: .seconds(1))
        process.waitForExit()
    }
}

@Suite(.serialized) struct MCPServerTests {
    static let brokenManifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n"

    static func fixture() throws -> TemporaryRepo {
        let contract = (try? String(contentsOfFile: SharedData.packageRoot + "/docs/repo-contract.md", encoding: .utf8)) ?? "# contract\n"
        return try TemporaryRepo(files: [
            "docs/repo-contract.md": contract,
            "cluster/kubernetes/apps/demo/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
            "cluster/kubernetes/apps/demo/config.yaml": brokenManifest,
            "config/clusters/prox.yaml": "name: prox\n",
            "ai/tasks.md": "# Tasks\n\n## add-thing\n\n```yaml\ntitle: Add a thing\nrole: engineer\nlayers:\n  - cluster/kubernetes/apps/thing/\nacceptance:\n  - it exists\n```\n\nDo it.\n",
        ])
    }

    static func text(_ result: CallTool.Result) -> String {
        result.content.compactMap { if case .text(let text, _, _) = $0 { text } else { nil } }.joined()
    }

    static func findings(_ result: CallTool.Result) -> [[String: Value]] {
        result.structuredContent?.objectValue?["findings"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    @Test func listsToolsWithAnnotationsAndChecksLikeTheCommandLine() async throws {
        let repo = try Self.fixture()
        let server = try await SpawnedServer(role: .engineer, repo: repo.root)
        let tools = try await server.client.listTools().tools
        let names = Set(tools.map(\.name))
        #expect(names.isSuperset(of: ["contract_get", "rules_explain", "check", "cluster_view", "task_list", "task_get", "write_file"]))
        #expect(tools.first { $0.name == "check" }?.annotations.readOnlyHint == true)
        #expect(tools.first { $0.name == "write_file" }?.annotations.readOnlyHint == false)

        // The same findings as `homeport check --format json` on the same repository.
        let cli = try HomeportBinary.run(["check", "--format", "json", "--repo", repo.root])
        let expected = try JSONDecoder().decode(Value.self, from: Data(cli.standardOutput.utf8)).objectValue?["findings"]?.arrayValue ?? []
        let result = try await server.call("check")
        #expect(result.isError != true)
        let findings = Self.findings(result)
        #expect(findings.map { Value.object($0) } == expected)
        let parse = findings.first { $0["rule"]?.stringValue == "k8s.parse" }
        #expect(parse?["path"]?.stringValue == "cluster/kubernetes/apps/demo/config.yaml")
        #expect(parse?["line"]?.intValue == 1)
        await server.stop()
    }

    @Test func checksADiffWithoutWritingIt() async throws {
        let repo = try Self.fixture()
        let server = try await SpawnedServer(role: .planner, repo: repo.root)
        let fix = """
        --- a/cluster/kubernetes/apps/demo/config.yaml
        +++ b/cluster/kubernetes/apps/demo/config.yaml
        @@ -2,3 +2,4 @@
         kind: ConfigMap
         metadata:
        +  name: demo-config
           labels: {}

        """
        let fixed = try await server.call("check", ["diff": .string(fix)])
        #expect(!Self.findings(fixed).contains { $0["rule"]?.stringValue == "k8s.parse" })
        #expect(Self.text(fixed).contains("cluster/kubernetes/apps/demo/config.yaml"))
        #expect(repo.read("cluster/kubernetes/apps/demo/config.yaml") == Self.brokenManifest)

        let breaking = "--- /dev/null\n+++ b/cluster/kubernetes/apps/demo/extra.yaml\n@@ -0,0 +1,2 @@\n+apiVersion: v1\n+kind: Secret\n"
        let broken = try await server.call("check", ["diff": .string(breaking), "paths": ["cluster/kubernetes/apps/demo/extra.yaml"]])
        #expect(Self.findings(broken).contains { $0["rule"]?.stringValue == "k8s.parse" && $0["path"]?.stringValue == "cluster/kubernetes/apps/demo/extra.yaml" })
        #expect(repo.read("cluster/kubernetes/apps/demo/extra.yaml") == nil)

        let bad = try await server.call("check", ["diff": "--- a/nope.yaml\n+++ b/nope.yaml\n@@ -1 +1 @@\n-a\n+b\n"])
        #expect(bad.isError == true)
        await server.stop()
    }

    @Test func aPlannerCannotCallAWriteTool() async throws {
        let repo = try Self.fixture()
        let server = try await SpawnedServer(role: .planner, repo: repo.root)
        let names = try await server.client.listTools().tools.map(\.name)
        #expect(!names.contains("write_file"))
        let result = try await server.call("write_file", ["path": "cluster/kubernetes/apps/demo/x.yaml", "content": "a: 1\n"])
        #expect(result.isError == true)
        #expect(Self.text(result).contains("planner role may not call write_file"))
        #expect(repo.read("cluster/kubernetes/apps/demo/x.yaml") == nil)
        await server.stop()
        let audit = try #require(repo.read("logs/ai/mcp.jsonl"))
        #expect(audit.contains("\"decision\":\"error\",\"paths\":[\"cluster/kubernetes/apps/demo/x.yaml\"],\"reason\":\"denied: the planner role may not call write_file"))
    }

    @Test func theEngineerWritesOnlyInsideTheContract() async throws {
        let repo = try Self.fixture()
        let server = try await SpawnedServer(role: .engineer, repo: repo.root)
        let denied = try await server.call("write_file", ["path": "docs/x.md", "content": "x\n"])
        #expect(denied.isError == true)
        #expect(Self.text(denied).contains("ai.docs-read-only"))
        #expect(repo.read("docs/x.md") == nil)
        let secret = try await server.call("write_file", ["path": "config/k.yaml", "content": .string("k: \(GuardFixture.ageIdentity)\n")])
        #expect(secret.isError == true)
        #expect(!Self.text(secret).contains(GuardFixture.ageIdentity))
        let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: demo\n"
        let written = try await server.call("write_file", ["path": "cluster/kubernetes/apps/demo/extra.yaml", "content": .string(manifest)])
        #expect(written.isError != true)
        #expect(repo.read("cluster/kubernetes/apps/demo/extra.yaml") == manifest)
        await server.stop()
    }

    @Test func servesTheContractAndTasks() async throws {
        let repo = try Self.fixture()
        let server = try await SpawnedServer(role: .executor, repo: repo.root)
        let contents = try await server.client.readResource(uri: "homeport://contract")
        #expect(contents.first?.text?.contains("# Repo contract") == true)
        let task = try await server.call("task_get", ["id": "add-thing"])
        #expect(task.structuredContent?.objectValue?["layers"] == ["cluster/kubernetes/apps/thing/"])
        let names = try await server.client.listTools().tools.map(\.name)
        #expect(!names.contains("write_file"))
        await server.stop()
    }
}

/// Annotations must tell the truth: every write tool is marked, no read-only role gets one,
/// and no tool name suggests touching a cluster.
@Suite struct ToolAnnotationTests {
    @Test(arguments: HarnessToolbox.all.map(\.name))
    func annotationsMatchTheKind(_ name: String) throws {
        let tool = try #require(HarnessToolbox.all.first { $0.name == name })
        let writes: Set<String> = ["write_file", "new_app", "secrets_encrypt"]
        #expect(tool.isReadOnly == !writes.contains(name))
        #expect(tool.mcpTool.annotations.readOnlyHint == tool.isReadOnly)
        #expect(tool.mcpTool.annotations.destructiveHint == false)
        if !tool.isReadOnly { #expect(tool.roles == [.engineer]) }
        #expect(name.range(of: "^[a-zA-Z0-9_-]{1,64}$", options: .regularExpression) != nil)
        for verb in ["apply", "delete", "patch", "reconcile", "upgrade", "reset"] { #expect(!name.contains(verb)) }
    }

    @Test func plannersAndExecutorsGetOnlyReadOnlyTools() {
        for role in [AgentRole.planner, .executor] {
            let tools = HarnessToolbox.tools(for: ToolContext(repoRoot: "/", role: role))
            #expect(!tools.isEmpty)
            #expect(tools.allSatisfy { $0.isReadOnly })
        }
    }
}
