import Contract
import Foundation
import HomeportCore
import MCP
import Testing
import TestSupport
@testable import AgentHarness

/// The stub endpoint (Tests/Fixtures/ai/openai_stub.py) replaying a script.
/// It lives as long as this value: it stops when the value goes out of scope, and by itself
/// when its standard input closes, should the test process die first.
final class StubEndpoint: Sendable {
    let process: ChildProcess
    let port: Int
    let requestsPath: String

    init(script: [Value]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-stub-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        let lines = try script.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n")
        try Data((lines + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/script.jsonl"))
        requestsPath = folder + "/requests.jsonl"
        let python = try #require(TestProcess.which("python3"))
        // Its output after the port and its errors go to a file, never to the test runner's pipes.
        process = try ProcessRunner().start(ProcessInvocation(
            python, [SharedData.packageRoot + "/Tests/Fixtures/ai/openai_stub.py", folder + "/script.jsonl", requestsPath],
            input: .pipe, output: .capture, error: .file(folder + "/stub.log")))
        var line = Data()
        let output = try #require(process.standardOutput)
        while let byte = try output.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        port = Int(String(decoding: line, as: UTF8.self)) ?? 0
    }

    deinit {
        try? process.standardInput?.close()
        process.terminate(grace: .seconds(1))
        process.waitForExit()
    }

    var url: String { "http://127.0.0.1:\(port)/v1" }

    var requests: [[String: Value]] {
        ((try? String(contentsOfFile: requestsPath, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            (try? JSONDecoder().decode(Value.self, from: Data($0.utf8)))?.objectValue
        }
    }
}

/// Scripted model answers.
enum Script {
    static func call(_ name: String, _ arguments: Value, id: String? = nil, asString: Bool = true) -> Value {
        let encoded = String(decoding: (try? JSONEncoder().encode(arguments)) ?? Data(), as: UTF8.self)
        var call: [String: Value] = ["type": "function", "function": ["name": .string(name), "arguments": asString ? .string(encoded) : arguments]]
        if let id { call["id"] = .string(id) }
        return .object(["message": ["role": "assistant", "content": "", "tool_calls": [.object(call)]], "finish_reason": "tool_calls"])
    }

    static func calls(_ calls: [(String, Value)]) -> Value {
        let items: [Value] = calls.enumerated().map { index, call in
            let encoded = String(decoding: (try? JSONEncoder().encode(call.1)) ?? Data(), as: UTF8.self)
            return ["id": .string("multi\(index)"), "type": "function", "function": ["name": .string(call.0), "arguments": .string(encoded)]]
        }
        return .object(["message": ["role": "assistant", "content": "", "tool_calls": .array(items)], "finish_reason": "tool_calls"])
    }

    static func say(_ text: String, finish: String = "stop") -> Value {
        ["message": ["role": "assistant", "content": .string(text)], "finish_reason": .string(finish)]
    }
}

@Suite(.serialized) struct TaskRunTests {
    static let task = "add-app-uptime-kuma"
    static let app = "cluster/kubernetes/apps/uptime-kuma"

    /// A copy of this repository's contract-governed tree (it is `homeport check` clean), as
    /// a fresh git repository on `main`.
    static func fixture() throws -> TemporaryRepo {
        let package = SharedData.packageRoot
        let repo = try TemporaryRepo()
        for folder in ["cluster", "config", "infrastructure", "docs", "ai", "synology", "scripts", "logs"]
        where FileManager.default.fileExists(atPath: package + "/" + folder) {
            try repo.copy(from: package + "/" + folder, to: folder)
        }
        for file in ["AGENTS.md", "README.md", ".sops.yaml", ".gitignore", "homeport.yaml", ".mcp.json"] {
            if let data = FileManager.default.contents(atPath: package + "/" + file) { try repo.write(file, data) }
        }
        try repo.git("init", "-q", "-b", "main")
        try repo.git("add", "-A")
        try repo.git("-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-q", "-m", "base")
        return repo
    }

    /// Where apps are registered with Flux: one Flux Kustomization per app.
    static let registration = "cluster/kubernetes/flux/apps.yaml"

    /// `flux/apps.yaml` with a Flux Kustomization for the new app appended.
    static func registeredApps(_ repo: TemporaryRepo) -> String {
        (repo.read(registration) ?? "") + """
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: uptime-kuma
          namespace: flux-system
        spec:
          dependsOn:
            - name: storage
          interval: 1h
          path: ./cluster/kubernetes/apps/uptime-kuma
          prune: true
          wait: true
          sourceRef:
            kind: GitRepository
            name: flux-system
          decryption:
            provider: sops
            secretRef:
              name: sops-age
          postBuild:
            substituteFrom:
              - kind: ConfigMap
                name: cluster-settings

        """
    }

    static let planFiles: Value = [
        .string(app + "/namespace.yaml"), .string(app + "/deployment.yaml"), .string(app + "/kustomization.yaml"),
        .string(registration),
    ]

    static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: uptime-kuma
      namespace: uptime-kuma
      labels:
        app.kubernetes.io/name: uptime-kuma
    spec:
      replicas: 1
      selector:
        matchLabels:
          app.kubernetes.io/name: uptime-kuma
      template:
        metadata:
          labels:
            app.kubernetes.io/name: uptime-kuma
        spec:
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            runAsGroup: 1000
            fsGroup: 1000
            seccompProfile:
              type: RuntimeDefault
          containers:
            - name: uptime-kuma
              image: docker.io/louislam/uptime-kuma:1.23.16
              ports:
                - name: http
                  containerPort: 3001
                  protocol: TCP
              resources:
                requests:
                  cpu: 50m
                  memory: 128Mi
                limits:
                  memory: 256Mi
              securityContext:
                allowPrivilegeEscalation: false
                capabilities:
                  drop: ["ALL"]
    """

    /// A full scripted run with the usual quirks of small models.
    static func addAppScript(apps: String) -> [Value] {
        let fencedCall = "I will write the deployment now.\n```json\n" + String(decoding: (try? JSONEncoder().encode(Value.object([
            "name": "write_file", "arguments": ["path": .string(app + "/deployment.yaml"), "content": .string(deployment + "\n")],
        ]))) ?? Data(), as: UTF8.self) + "\n```"
        return [
            // Planner: arguments as a JSON string with an id, then an object without an id and
            // finish_reason "stop" although a tool is called.
            Script.call("task_get", ["id": .string(task)], id: "p1"),
            .object(["message": ["role": "assistant", "content": "", "tool_calls": [["type": "function", "function": [
                "name": "submit_plan", "arguments": ["files": planFiles, "steps": ["scaffold", "deploy", "register"]],
            ]]]], "finish_reason": "stop"]),
            // Engineer.
            Script.call("write_file", ["path": .string(app + "/namespace.yaml"), "content": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: uptime-kuma\n"], id: "e1"),
            Script.say(fencedCall),
            Script.call("write_file", ["path": .string(app + "/secret.yaml"), "content": .string("password: \(GuardFixture.ageIdentity)\n")], id: "e3"),
            .object(["message": ["role": "assistant", "content": "", "tool_calls": [["id": "e4", "type": "function", "function": ["name": "write_file", "arguments": "{path: oops"]]]], "finish_reason": "tool_calls"]),
            Script.call("write_file", ["path": "scripts/deploy.sh", "content": "#!/bin/sh\n"], id: "e5"),
            Script.calls([
                ("write_file", ["path": .string(app + "/kustomization.yaml"), "content": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: uptime-kuma\nresources:\n  - namespace.yaml\n  - deployment.yaml\n"]),
                ("write_file", ["path": .string(registration), "content": .string(apps)]),
            ]),
            Script.call("check", ["paths": [.string(app)]], id: "e7"),
            Script.say("Done: uptime-kuma is scaffolded, deployed with a pinned image and registered."),
        ]
    }

    static func allLogText(_ folder: String) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map {
            (try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8)) ?? ""
        }.joined(separator: "\n")
    }

    static func events(_ folder: String) -> [[String: Value]] {
        ((try? String(contentsOfFile: folder + "/run.jsonl", encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            (try? JSONDecoder().decode(Value.self, from: Data($0.utf8)))?.objectValue
        }
    }

    @Test func addsAnAppOnAContractCleanBranchThroughTheCommandLine() async throws {
        let repo = try Self.fixture()
        let stub = try StubEndpoint(script: Self.addAppScript(apps: Self.registeredApps(repo)))
        let result = try HomeportBinary.run(["ai", "run", Self.task, "--backend", stub.url, "--model", "stub", "--yes", "--repo", repo.root])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("committed: "))

        // The branch holds exactly the app and its registration; the user's checkout is untouched.
        let branches = try repo.git("branch", "--list", "ai/*").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(branches.count == 1)
        let branch = try #require(branches.first)
        #expect(branch.hasPrefix("ai/\(Self.task)-"))
        let files = try repo.git("diff", "--name-only", "main", branch).split(separator: "\n").map(String.init).sorted()
        #expect(files == [Self.app + "/deployment.yaml", Self.app + "/kustomization.yaml", Self.app + "/namespace.yaml", Self.registration].sorted())
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/" + Self.app))
        #expect(try repo.git("rev-parse", "--abbrev-ref", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == "main")

        // Contract-clean: no error finding in the changed files on the branch.
        let checkout = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-branch-\(UUID().uuidString)").path
        try repo.git("worktree", "add", "-q", checkout, branch)
        defer { _ = try? repo.git("worktree", "remove", "--force", checkout) }
        let report = try CheckRunner.run(CheckOptions(repoRoot: checkout, changedFrom: "main"))
        #expect(report.errorCount == 0, "\(report.findings)")

        // The log folder.
        let logs = try #require(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("logs: ") }.map { String($0.dropFirst(6)) })
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: logs))
        #expect(names.isSuperset(of: ["plan.md", "diff.patch", "validation.json", "transcript.jsonl", "summary.md", "run.jsonl"]))
        let text = try Self.allLogText(logs)
        #expect(!text.contains(GuardFixture.ageIdentity))
        #expect(!text.contains(String(GuardFixture.ageIdentity.suffix(30))))
        #expect(text.contains("[redacted AGE-"))
        let denials = Self.events(logs).filter { $0["event"]?.stringValue == "tool_call" && $0["decision"]?.stringValue == "deny" }
        #expect(denials.count == 3)  // the secret, the unreadable arguments, scripts/
        #expect(denials.contains { $0["paths"] == ["scripts/deploy.sh"] })

        // What the endpoint saw: the planner had no write tool, the engineer had one; ids were kept or made up.
        let requests = stub.requests
        func toolNames(_ request: [String: Value]) -> [String] {
            request["tools"]?.arrayValue?.compactMap { $0.objectValue?["function"]?.objectValue?["name"]?.stringValue } ?? []
        }
        #expect(requests.count == 10)
        #expect(toolNames(requests[0]).contains("submit_plan"))
        #expect(!toolNames(requests[0]).contains("write_file"))
        #expect(toolNames(requests[2]).contains("write_file"))
        let replies = requests[2...].flatMap { $0["messages"]?.arrayValue ?? [] }.compactMap(\.objectValue).filter { $0["role"] == "tool" }
        #expect(replies.contains { $0["tool_call_id"] == "e1" })
        #expect(replies.contains { $0["tool_call_id"]?.stringValue?.hasPrefix("call_h") == true })
    }

    @Test func anOutOfContractPlanIsRefusedBeforeAnyEdit() async throws {
        let repo = try Self.fixture()
        let stub = try StubEndpoint(script: [
            Script.call("submit_plan", ["files": ["docs/architecture.md", .string(Self.app + "/namespace.yaml")], "steps": ["document it"]], id: "p1"),
            Script.call("write_file", ["path": "docs/architecture.md", "content": "x"], id: "never"),
        ])
        var options = RunOptions(repoRoot: repo.root, taskID: Self.task)
        options.approve = true
        let backend = OpenAICompatibleBackend(baseURL: try #require(URL(string: stub.url)), model: "stub")
        let result = try await TaskRunner(options: options, backend: backend).run()
        #expect(result.status == .planRejected)
        #expect(result.summary.contains("ai.docs-read-only"))
        #expect(stub.requests.count == 1)
        #expect(try repo.git("branch", "--list", "ai/*").isEmpty)
        let decision = Self.events(result.logFolder).first { $0["event"] == "guard_decision" }
        #expect(decision?["decision"] == "deny")
        #expect(decision?["rule"] == "ai.docs-read-only")
        #expect((try? String(contentsOfFile: result.logFolder + "/plan.md", encoding: .utf8))?.contains("Rejected before any edit") == true)
    }

    @Test func nobodyToApproveMeansNoCommit() async throws {
        let repo = try Self.fixture()
        let stub = try StubEndpoint(script: [
            Script.call("submit_plan", ["files": [.string(Self.app + "/namespace.yaml"), .string(Self.registration)], "steps": ["namespace", "register"]], id: "p1"),
            Script.call("write_file", ["path": .string(Self.app + "/namespace.yaml"), "content": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: uptime-kuma\n"], id: "e1"),
            Script.call("write_file", ["path": .string(Self.registration), "content": .string(Self.registeredApps(repo))], id: "e2"),
            Script.say("done"),
        ])
        let backend = OpenAICompatibleBackend(baseURL: try #require(URL(string: stub.url)), model: "stub")
        let result = try await TaskRunner(options: RunOptions(repoRoot: repo.root, taskID: Self.task), backend: backend).run()
        #expect(result.status == .notApproved, "\(result.summary)")
        #expect(try repo.git("branch", "--list", "ai/*").isEmpty)
        #expect((try? String(contentsOfFile: result.logFolder + "/diff.patch", encoding: .utf8))?.contains("+  name: uptime-kuma") == true)
    }

    @Test func theToolCallBudgetStopsALoopingModel() async throws {
        let repo = try Self.fixture()
        let stub = try StubEndpoint(script: Array(repeating: Script.call("task_list", [:]), count: 6))
        var options = RunOptions(repoRoot: repo.root, taskID: Self.task)
        options.maxToolCalls = 3
        let backend = OpenAICompatibleBackend(baseURL: try #require(URL(string: stub.url)), model: "stub")
        let result = try await TaskRunner(options: options, backend: backend).run()
        #expect(result.status == .budgetExceeded)
        #expect(stub.requests.count == 4)
    }

    @Test func parsesTaskSpecsLeniently() {
        let text = "# Tasks\n\n## good\n\n```yaml\ntitle: T\nrole: Engineer\nlayers: [config/clusters/]\nacceptance: [ok]\n```\n\nProse.\n\n## bad\n\n```yaml\nrole: wizard\nlayers: [docs/]\n```\n\n## empty\n"
        let tasks = TaskFile.parse(text)
        #expect(tasks.map(\.id) == ["good", "bad", "empty"])
        #expect(tasks[0].problems.isEmpty)
        #expect(tasks[0].role == .engineer)
        #expect(tasks[0].prose == "Prose.")
        #expect(tasks[1].problems.contains("unknown role 'wizard'"))
        #expect(tasks[1].problems.contains { $0.contains("docs/ is outside") })
        #expect(tasks[2].problems.contains { $0.contains("no ```yaml block") })
    }

    @Test func theRepositoryTasksParse() throws {
        let text = try String(contentsOfFile: SharedData.packageRoot + "/ai/tasks.md", encoding: .utf8)
        let tasks = TaskFile.parse(text)
        #expect(tasks.count >= 3)
        for task in tasks { #expect(task.problems.isEmpty, "\(task.id): \(task.problems)") }
    }
}

@Suite struct ToolCallParserTests {
    @Test func readsQuirkyCalls() {
        var counter = 0
        let next = { () -> String in counter += 1; return "gen\(counter)" }
        let doubleEncoded: Value = ["tool_calls": [["function": ["name": "check", "arguments": "\"{\\\"paths\\\": [\\\"a\\\"]}\""]]]]
        #expect(ToolCallParser.calls(in: doubleEncoded, nextID: next).first?.arguments["paths"] == ["a"])
        let tagged: Value = ["content": "<tool_call>{\"name\": \"task_list\", \"arguments\": {}}</tool_call>"]
        #expect(ToolCallParser.calls(in: tagged, nextID: next).map(\.name) == ["task_list"])
        let prose: Value = ["content": "All done {not a call}."]
        #expect(ToolCallParser.calls(in: prose, nextID: next).isEmpty)
        let broken: Value = ["tool_calls": [["id": "x", "function": ["name": "check", "arguments": "{paths: [a"]]]]
        #expect(ToolCallParser.calls(in: broken, nextID: next).first?.argumentError != nil)
    }

    @Test func redactsSecretsInLogs() {
        let text = "key \(GuardFixture.ageIdentity) and \(GuardFixture.privateKeyBlock) and ENC[AES256_GCM,data:abc] path cluster/kubernetes/apps/very-long-folder-name/with/many/parts.yaml"
        let redacted = Redactor.redact(text)
        #expect(!redacted.contains(GuardFixture.ageIdentity))
        #expect(!redacted.contains(GuardFixture.privateKeyBody))
        #expect(!redacted.contains("data:abc"))
        #expect(redacted.contains("cluster/kubernetes/apps/very-long-folder-name/with/many/parts.yaml"))
    }
}
