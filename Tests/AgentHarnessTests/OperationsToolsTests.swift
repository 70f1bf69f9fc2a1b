import Bootstrap
import Foundation
import HomeportCore
import MCP
import Proxmox
import ProxmoxSimulator
import Testing
import TestSupport
@testable import AgentHarness

/// `homeport ai mcp --read-only` spawned against the Proxmox simulator on loopback, with fake
/// talosctl and kubectl that print a planted token and record how they were called.
@Suite(.serialized) struct OperationsToolsTests {
    static let operations = ["cluster_status", "flux_diff", "proxmox_plan", "talos_plan", "up_dry_run"]
    /// Planted in the server's environment; only the server's mask knows it.
    static let plantedToken = "hp-planted-7c1e2d9a4b"

    /// A repository with the reference cluster pointed at the simulator, a small Flux tree
    /// committed to Git, and a talosconfig so the status reaches talosctl.
    static func fixture(_ simulator: ProxmoxSimulator) throws -> TemporaryRepo {
        let reference = try String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
        let definition = reference.replacingOccurrences(
            of: "endpoint: https://192.168.1.10:8006",
            with: "endpoint: \(simulator.endpoint.absoluteString)\n  fingerprint: \"\(simulator.certificate.fingerprint)\"")
        #expect(definition != reference)
        let repo = try TemporaryRepo(files: [
            "config/clusters/prox-n100.yaml": definition,
            ".talos/prox-n100/talosconfig": "context: prox-n100\n",
            ".talos/prox-n100/kubeconfig": "kind: Config\n",
            "cluster/kubernetes/flux/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - apps.yaml\n",
            "cluster/kubernetes/flux/apps.yaml": """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: demo
              namespace: flux-system
            spec:
              interval: 1h
              path: ./cluster/kubernetes/apps/demo
              prune: true
              sourceRef:
                kind: GitRepository
                name: flux-system

            """,
            "cluster/kubernetes/apps/demo/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - config.yaml\n",
            "cluster/kubernetes/apps/demo/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  namespace: demo\ndata:\n  greeting: hello-before\n",
        ])
        _ = try repo.git("init", "--quiet")
        _ = try repo.git("add", "-A")
        _ = try repo.git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "base")
        return repo
    }

    /// Fake talosctl and kubectl: each records its arguments and prints both secrets on stderr.
    static func fakePrograms(log: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-fake-ops-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for program in ["talosctl", "kubectl"] {
            let script = """
            #!/bin/sh
            echo "\(program) $*" >> '\(log)'
            echo "error: denied for token $PROXMOX_TOKEN_SECRET and $HOMEPORT_TEST_API_TOKEN" >&2
            exit 1

            """
            let path = folder + "/" + program
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        return folder
    }

    static func withServer(readOnly: Bool = true, role: AgentRole = .engineer,
                           _ body: (SpawnedServer, TemporaryRepo, ProxmoxSimulator, String) async throws -> Void) async throws {
        let schema: APISchema
        do { schema = try ProxmoxSimulator.loadSchema() } catch {
            if SharedData.isCI { throw error }
            print("SKIPPED: needs shared/data/proxmox/pve-apidoc.json")
            return
        }
        let simulator = try await ProxmoxSimulator(schema: schema)
        do {
            let repo = try fixture(simulator)
            let log = repo.root + "/../fake-programs-\(UUID().uuidString).log"
            let fakes = try fakePrograms(log: log)
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = fakes + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["PROXMOX_TOKEN_SECRET"] = ProxmoxSimulator.tokenSecret
            environment["HOMEPORT_TEST_API_TOKEN"] = plantedToken
            let server = try await SpawnedServer(role: role, repo: repo.root, arguments: readOnly ? ["--read-only"] : [], environment: environment)
            try await body(server, repo, simulator, log)
            await server.stop()
            await simulator.stop()
        } catch {
            await simulator.stop()
            throw error
        }
    }

    static func assertMasked(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!text.contains(ProxmoxSimulator.tokenSecret), sourceLocation: sourceLocation)
        #expect(!text.contains(plantedToken), sourceLocation: sourceLocation)
    }

    @Test("the read-only role lists the operations tools as read-only and no write tool")
    func listing() async throws {
        try await Self.withServer { server, _, _, _ in
            let tools = try await server.client.listTools().tools
            let names = Set(tools.map(\.name))
            #expect(names.isSuperset(of: Self.operations), "\(names.sorted())")
            #expect(names.isSuperset(of: ["check", "contract_get", "flux_tree"]))
            #expect(names.isDisjoint(with: ["write_file", "new_app", "secrets_encrypt"]))
            #expect(tools.allSatisfy { $0.annotations.readOnlyHint == true && $0.annotations.destructiveHint == false })
        }
        try await Self.withServer(readOnly: false) { server, _, _, _ in
            let names = Set(try await server.client.listTools().tools.map(\.name))
            #expect(names.isDisjoint(with: Self.operations), "operations tools need --read-only")
            #expect(names.contains("write_file"))
            let refused = try await server.call("cluster_status")
            #expect(refused.isError == true)
        }
    }

    @Test("plans and the dry run read the host with GET only; secrets never appear; every call is logged")
    func plansReadOnly() async throws {
        try await Self.withServer { server, repo, simulator, _ in
            let plan = try await server.call("proxmox_plan")
            let planText = MCPServerTests.text(plan)
            #expect(plan.isError != true, "\(planText)")
            #expect(planText.contains("create    talos-cp-1 (VMID 214)"))

            let dryRun = try await server.call("up_dry_run", ["cluster": "prox-n100"])
            let dryText = MCPServerTests.text(dryRun)
            #expect(dryText.contains("homeport up --dry-run for cluster prox-n100: nothing is changed."))
            #expect(dryText.contains("create    talos-cp-1 (VMID 214)"), "the live plan, not the desired VMs")

            let talos = try await server.call("talos_plan")
            let talosText = MCPServerTests.text(talos)
            #expect(talos.isError != true, "\(talosText)")
            #expect(talosText.contains("etcd snapshot") && talosText.contains("upgrade --image"))
            #expect(!talosText.contains(repo.root), "paths are repository-relative")

            let unknown = try await server.call("proxmox_plan", ["cluster": "nope"])
            #expect(unknown.isError == true)

            #expect(!simulator.state.requests.isEmpty)
            #expect(simulator.state.requests.allSatisfy { $0.method == "GET" }, "\(simulator.state.requests.map(\.method))")
            for result in [plan, dryRun, talos, unknown] { Self.assertMasked(MCPServerTests.text(result)) }
            // The server logs each call before it answers.
            let audit = try #require(repo.read("logs/ai/mcp.jsonl"))
            for tool in ["proxmox_plan", "up_dry_run", "talos_plan"] { #expect(audit.contains("\"readOnly\":true,\"role\":\"engineer\",\"tool\":\"\(tool)\"")) }
            Self.assertMasked(audit)
        }
    }

    @Test("status runs only read commands and masks what the programs print")
    func statusMasksSecrets() async throws {
        try await Self.withServer { server, _, simulator, log in
            let status = try await server.call("cluster_status")
            let text = MCPServerTests.text(status)
            #expect(text.contains("Cluster prox-n100:") && text.contains("Verdict: UNHEALTHY"), "\(text)")
            #expect(text.contains("talos-cp-1 (VMID 214)"), "VMs are read from the simulator")
            #expect(text.contains("[masked]"), "the fakes' output reached the report, masked: \(text)")
            Self.assertMasked(text)
            Self.assertMasked("\(status.structuredContent ?? .null)")
            let ran = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(ran.contains("talosctl") && ran.contains("kubectl"))
            for line in ran.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                #expect(ReadOnlyCommandRunner.refusal(program: words[0], arguments: Array(words.dropFirst())) == nil, "\(line)")
            }
            #expect(simulator.state.mutatingRequests.isEmpty)
        }
    }

    @Test("flux_diff shows a change against HEAD and leaves the repository as it was")
    func fluxDiff() async throws {
        try await Self.withServer { server, repo, _, _ in
            let same = try await server.call("flux_diff")
            #expect(MCPServerTests.text(same) == "no changes\n", "\(MCPServerTests.text(same))")
            try repo.write("cluster/kubernetes/apps/demo/config.yaml",
                           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  namespace: demo\ndata:\n  greeting: hello-after\n")
            let changed = try await server.call("flux_diff", ["base": "HEAD"])
            let text = MCPServerTests.text(changed)
            #expect(text.contains("ConfigMap") && text.contains("data.greeting") && text.contains("hello-before") && text.contains("hello-after"), "\(text)")
            let markdown = MCPServerTests.text(try await server.call("flux_diff", ["format": "markdown"]))
            #expect(markdown.contains("hello-after") && markdown != text, "\(markdown)")
            let injected = try await server.call("flux_diff", ["base": "--output=/tmp/x"])
            #expect(injected.isError == true)
            let badFormat = try await server.call("flux_diff", ["format": "yaml"])
            #expect(badFormat.isError == true && MCPServerTests.text(badFormat).contains("text, markdown, github"))
            #expect(try repo.git("worktree", "list").split(separator: "\n").count == 1, "the temporary worktree is removed")
            #expect(try repo.git("status", "--porcelain").contains("config.yaml"))
        }
    }

    @Test("the read-only role cannot call a write tool")
    func noWrites() async throws {
        try await Self.withServer { server, repo, _, _ in
            let denied = try await server.call("write_file", ["path": "cluster/kubernetes/apps/demo/x.yaml", "content": "a: 1\n"])
            #expect(denied.isError == true)
            #expect(MCPServerTests.text(denied).contains("read-only engineer role may not call write_file"))
            #expect(repo.read("cluster/kubernetes/apps/demo/x.yaml") == nil)
        }
    }
}

@Suite struct SecretMaskTests {
    @Test func masksSecretNamedVariablesAndSecretShapes() {
        let mask = SecretMask(environment: ["PROXMOX_TOKEN_SECRET": "5f0c4a1e-3b7d", "SOPS_AGE_KEY_FILE": "/home/u/keys.txt",
                                            "GITHUB_TOKEN": "abc", "PATH": "/usr/bin", "DB_PASSWORD": "hunter22"])
        #expect(mask.values == ["5f0c4a1e-3b7d", "hunter22"])
        let text = mask.apply("a 5f0c4a1e-3b7d b hunter22 c /home/u/keys.txt /usr/bin abc AGE-SECRET-KEY-1QQQQQQ ghp_abcdefghijkl cluster/kubernetes/apps/demo/config.yaml")
        #expect(text == "a [masked] b [masked] c /home/u/keys.txt /usr/bin abc [masked] [masked] cluster/kubernetes/apps/demo/config.yaml")
        let structured = mask.apply(Value.object(["detail": .array([.string("x hunter22")]), "n": .int(1)]))
        #expect(structured == .object(["detail": .array([.string("x [masked]")]), "n": .int(1)]))
    }
}

/// A tool that repeats what it is given, to see what the server lets through.
private struct EchoTool: HarnessTool {
    let name = "echo"
    let summary = "Repeats `text`."
    let inputSchema = Schema.object(["text": Schema.string("What to repeat.")])
    let isReadOnly = true
    let roles = Set(AgentRole.allCases)

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        let text = arguments["text"]?.stringValue ?? ""
        return ToolOutput(text: text, structured: ["text": .string(text)], isError: text.isEmpty)
    }
}

@Suite struct ServerMaskTests {
    @Test("every tool answer is masked in the server, for MCP clients and for `ai run` alike")
    func callMasks() async {
        let context = ToolContext(repoRoot: "/", role: .planner, environment: ["FLUX_GIT_TOKEN": "tok-123456789"])
        let tools: [any HarnessTool] = [EchoTool()]
        let output = await HarnessServer.call("echo", arguments: ["text": "push with tok-123456789 please"], tools: tools, context: context)
        #expect(output.text == "push with [masked] please")
        #expect(output.structured == ["text": "push with [masked] please"])
        let unmasked = await HarnessServer.call("echo", arguments: ["text": "push with tok-123456789 please"], tools: tools,
                                                context: ToolContext(repoRoot: "/", role: .planner))
        #expect(unmasked.text.contains("tok-123456789"), "only known or secret-shaped values are masked")
    }
}
