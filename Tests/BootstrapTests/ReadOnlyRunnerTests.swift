import Bootstrap
import ClusterSpec
import Foundation
import HomeportCore
import Proxmox
import Testing
import TestSupport

/// Records what reaches it and answers every command with success.
final class RecordingRunner: CommandRunner {
    let received = Locked<[String]>([])

    func run(_ invocation: ProcessInvocation) async throws -> CommandResult {
        received.withLock { $0.append(invocation.commandLine) }
        return CommandResult(status: 0, output: "", error: "")
    }
}

@Suite("The read-only role's command runner")
struct ReadOnlyRunnerTests {
    static let reads: [[String]] = [
        ["talosctl", "version", "--client", "--short"],
        ["talosctl", "--talosconfig", "/r/.talos/c/talosconfig", "--nodes", "10.0.0.1", "--endpoints", "10.0.0.1", "health", "--wait-timeout", "30s"],
        ["talosctl", "-n", "10.0.0.1", "get", "members"],
        ["talosctl", "-n", "10.0.0.1", "service", "kubelet"],
        ["talosctl", "-n", "10.0.0.1", "service", "kubelet", "status"],
        ["talosctl", "-n", "10.0.0.1", "etcd", "members"],
        ["kubectl", "--kubeconfig", "/r/.talos/c/kubeconfig", "get", "nodes", "-o", "json"],
        ["kubectl", "version", "--client"],
        ["git", "-C", "/r", "rev-parse", "origin/main"],
        ["talosctl", "--talosconfig", "t", "--nodes", "10.0.0.1", "apply-config", "--file", "cp.yaml", "--dry-run"],
        ["talosctl", "-n", "10.0.0.1", "get", "members", "-o", "yaml"],
    ]

    static let writes: [[String]] = [
        ["talosctl", "--nodes", "10.0.0.1", "apply-config", "--file", "cp.yaml"],
        ["talosctl", "--nodes", "10.0.0.1", "upgrade", "--image", "installer:v1"],
        ["talosctl", "--nodes", "10.0.0.1", "reset", "--graceful=false"],
        ["talosctl", "--nodes", "10.0.0.1", "bootstrap"],
        ["talosctl", "--nodes", "10.0.0.1", "kubeconfig", "/tmp/k"],
        ["talosctl", "-n", "10.0.0.1", "service", "kubelet", "restart"],
        ["talosctl", "-n", "10.0.0.1", "etcd", "snapshot", "/tmp/s"],
        // A flag value that looks like a read verb must not hide the real subcommand.
        ["talosctl", "--talosconfig", "get", "apply-config"],
        ["kubectl", "--kubeconfig", "k", "apply", "--server-side", "-f", "x.yaml"],
        ["kubectl", "delete", "namespace", "demo"],
        ["kubectl", "-n", "get", "patch", "deploy/x"],
        ["kubectl", "get", "secret", "-n", "flux-system", "sops-age", "-o", "yaml"],
        ["kubectl", "get", "secrets", "-A"],
        ["kubectl", "create", "namespace", "flux-system"],
        ["helm", "upgrade", "x", "y"],
        ["git", "-C", "/r", "push", "origin", "main"],
        ["git", "-c", "core.pager=touch /tmp/pwned", "log"],
        ["git", "ls-remote", "--upload-pack=touch /tmp/pwned", "origin"],
        ["talosctl", "-n", "10.0.0.1", "get", "machineconfig", "-o", "yaml"],
        ["talosctl", "-n", "10.0.0.1", "get", "osrootsecret"],
        ["talosctl", "-n", "10.0.0.1", "apply-config", "--file", "cp.yaml", "--dry-run=false"],
        ["kubectl", "get", "--raw", "/api/v1/namespaces/flux-system/secrets/sops-age"],
        ["/usr/local/bin/talosctl", "upgrade-k8s", "--to", "1.34.0"],
        ["sh", "-c", "talosctl version"],
        ["talosctl"],
    ]

    @Test("read commands pass through unchanged", arguments: reads)
    func readsPass(_ command: [String]) async throws {
        let inner = RecordingRunner()
        let result = try await ReadOnlyCommandRunner(wrapping: inner).run(command[0], Array(command.dropFirst()))
        #expect(result.succeeded)
        #expect(inner.received.value == [command.joined(separator: " ")])
    }

    @Test("anything else is refused before a process starts", arguments: writes)
    func writesAreRefused(_ command: [String]) async throws {
        let inner = RecordingRunner()
        let error = await #expect(throws: HomeportError.self) {
            try await ReadOnlyCommandRunner(wrapping: inner).run(command[0], Array(command.dropFirst()))
        }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("refused in the read-only role") && message.contains("nothing was run"), "\(message)")
        #expect(inner.received.value.isEmpty)
    }

    @Test("a read-only environment's stages that write never reach a program or the host")
    func stagesCannotWrite() async throws {
        let repo = try TemporaryRepo(files: [
            "config/clusters/prox-n100.yaml": try ClusterPlanTests.reference(),
            ".talos/prox-n100/talosconfig": "context: x\n", ".talos/prox-n100/kubeconfig": "kind: Config\n",
        ])
        let definition = try ClusterDefinition.loadValid(repoRoot: repo.root, cluster: nil)
        let inner = RecordingRunner()
        let connection = ProxmoxConnection(endpoint: URL(string: "https://127.0.0.1:9")!, tokenID: "homeport@pve!homeport", tokenSecret: "secret-value")
        let writable = BootstrapEnvironment(repoRoot: repo.root, definition: definition, runner: inner, proxmox: connection,
                                            ageKeyFile: nil, gitCredentials: .token(username: "git", token: "t0ken-value"),
                                            timing: BootstrapTiming(retryInterval: .milliseconds(1), attempts: 1),
                                            log: BootstrapLog(directory: nil, cluster: "prox-n100") { _ in }, prober: SilentNetwork())
        let env = writable.readOnly()
        #expect(env.proxmox?.access == .readOnly)
        #expect(env.gitCredentials == nil)
        #expect(env.runner is ReadOnlyCommandRunner)
        #expect((env.readOnly().runner as? ReadOnlyCommandRunner)?.base is RecordingRunner, "wrapping twice adds nothing")
        for stage in [BootstrapStage.talos, .flux] {
            await #expect(throws: (any Error).self) { try await Bootstrapper(env: env).run(BootstrapOptions(only: stage)) }
        }
        let received = inner.received.value
        for line in received {
            let words = line.split(separator: " ").map(String.init)
            #expect(ReadOnlyCommandRunner.refusal(program: words[0], arguments: Array(words.dropFirst())) == nil, "\(line) ran")
        }
    }
}
