import Bootstrap
import Foundation
import HomeportCore
import Proxmox
import ProxmoxSimulator
import Testing
import TestSupport

/// A repository with a pushed branch, fake talosctl/kubectl on PATH, and a Proxmox simulator.
final class UpFixture: @unchecked Sendable {
    let repo: TemporaryRepo
    let origin: TemporaryRepo
    let bin: String
    let state: String
    let logFile: String
    let printed = LockedLines()

    static let flux = """
        ---
        apiVersion: fluxcd.controlplane.io/v1
        kind: FluxInstance
        metadata:
          name: flux
          namespace: flux-system
          annotations:
            homeport.dev/flux-operator-version: "v0.58.1"
        spec:
          distribution: {version: "2.7.3", registry: ghcr.io/fluxcd}
          sync: {kind: GitRepository, url: "ssh://git@example.com/me/homelab.git", ref: refs/heads/main, path: cluster/kubernetes/flux, pullSecret: flux-system}
        ---
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [flux-instance.yaml]
        """

    init() throws {
        repo = try TemporaryRepo(files: ["cluster/kubernetes/flux/flux-instance.yaml": Self.flux, "README.md": "test\n"])
        origin = try TemporaryRepo()
        try origin.git("init", "--bare", "--quiet", "-b", "main")
        try repo.git("init", "--quiet", "-b", "main")
        try repo.git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
        try repo.git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "--quiet", "-m", "init")
        try repo.git("remote", "add", "origin", origin.root)
        try repo.git("push", "--quiet", "origin", "main")
        bin = repo.root + "/.fakebin"
        state = repo.root + "/.fakestate"
        logFile = repo.root + "/.fakelog"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        for tool in ["talosctl", "kubectl"] {
            let source = SharedData.packageRoot + "/Tests/Fixtures/bootstrap/fakebin/" + tool
            try FileManager.default.copyItem(atPath: source, toPath: "\(bin)/\(tool)")
            chmod("\(bin)/\(tool)", 0o755)
        }
        try repo.write(".age/keys.txt", "# test identity\nAGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n")
    }

    static let facts = ClusterFacts(
        name: "prox-n100",
        proxmox: .init(endpoint: "https://127.0.0.1:8006", node: "pve", tokenID: ProxmoxSimulator.tokenID,
                       storage: "local-lvm", imageStorage: "local", bridge: "vmbr0"),
        prefixLength: 24, gateway: "192.168.1.1", dnsServers: ["192.168.1.1"], controlPlaneVIP: "192.168.1.210",
        talosVersion: "v1.13.9", kubernetesVersion: "v1.36.3", extensions: ["siderolabs/qemu-guest-agent"], installDisk: "/dev/sda",
        nodes: [
            .init(name: "talos-cp-1", role: "controlplane", address: "192.168.1.214", vmid: 214, cores: 2, memoryMiB: 5120, diskGiB: 48, mac: "BC:24:11:00:02:14"),
            .init(name: "talos-w-1", role: "worker", address: "192.168.1.215", vmid: 215, cores: 3, memoryMiB: 7168, diskGiB: 96, mac: "BC:24:11:00:02:15"),
        ],
        fluxRepository: "ssh://git@example.com/me/homelab.git", fluxBranch: "main", fluxPath: "cluster/kubernetes/flux")

    static let gitToken = "ghp_FAKEtoken0123456789abcdef"

    func environment(_ simulator: ProxmoxSimulator?) -> BootstrapEnvironment {
        var variables = ProcessInfo.processInfo.environment
        variables["PATH"] = "\(bin):" + (variables["PATH"] ?? "/usr/bin:/bin")
        variables["FAKE_LOG"] = logFile
        variables["FAKE_STATE"] = state
        variables["FAKE_REPO"] = repo.root
        let runner = ProcessRunner(environment: variables)
        let printed = self.printed
        let log = BootstrapLog(directory: URL(fileURLWithPath: repo.root + "/logs/bootstrap"), cluster: Self.facts.name) { printed.append($0) }
        var facts = Self.facts
        if let simulator { facts.proxmox.endpoint = simulator.endpoint.absoluteString }
        return BootstrapEnvironment(
            repoRoot: repo.root, facts: facts, runner: runner, talos: TalosctlConfigSource(runner: runner),
            proxmox: simulator?.connection(), ageKeyFile: repo.root + "/.age/keys.txt",
            gitCredentials: .token(username: "git", token: Self.gitToken),
            timing: BootstrapTiming(retryInterval: .milliseconds(10), attempts: 5, healthTimeout: "10m", waitTimeout: "5m"), log: log)
    }

    /// The recorded calls, with the temporary root replaced by `$REPO`, and the log emptied.
    func takeCalls() -> [String] {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: logFile)
        return text.split(separator: "\n").map { $0.replacingOccurrences(of: repo.root, with: "$REPO") }
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

@Suite("homeport up with recording talosctl and kubectl")
struct UpTests {
    static func withSimulator(_ body: (ProxmoxSimulator) async throws -> Void) async throws {
        let schema: APISchema
        do { schema = try ProxmoxSimulator.loadSchema() } catch {
            if SharedData.isCI { throw error }
            print("SKIPPED: needs shared/data/proxmox/pve-apidoc.json")
            return
        }
        let simulator = try await ProxmoxSimulator(schema: schema)
        do { try await body(simulator); await simulator.stop() } catch { await simulator.stop(); throw error }
    }

    @Test("up runs the documented sequence in order; a second up skips what is done")
    func documentedSequenceThenIdempotent() async throws {
        let fixture = try UpFixture()
        try await Self.withSimulator { simulator in
            let env = fixture.environment(simulator)
            let report = try await Bootstrapper(env: env).run(BootstrapOptions())
            #expect(report?.healthy == true)
            let calls = fixture.takeCalls()
            let cp = "192.168.1.214", worker = "192.168.1.215"
            let talos = "talosctl --talosconfig $REPO/.talos/prox-n100/talosconfig"
            let kube = "kubectl --kubeconfig $REPO/.talos/prox-n100/kubeconfig"
            let expected = [
                "talosctl version --client --short",
                "talosctl get machinestatus --insecure --nodes \(cp) --endpoints \(cp)",
                "talosctl get machinestatus --insecure --nodes \(worker) --endpoints \(worker)",
                "talosctl gen secrets --output-file $REPO/.talos/prox-n100/secrets.yaml",
                "talosctl gen config prox-n100 https://192.168.1.210:6443 --with-secrets $REPO/.talos/prox-n100/secrets.yaml --kubernetes-version 1.36.3 --talos-version v1.13.9 --install-image factory.talos.dev/nocloud-installer/ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515:v1.13.9 --install-disk /dev/sda --output-dir $REPO/.talos/prox-n100 --force",
                "\(talos) config endpoint \(cp)",
                "\(talos) config node \(cp)",
                "talosctl get machinestatus --insecure --nodes \(cp) --endpoints \(cp)",
                "talosctl apply-config --insecure --nodes \(cp) --file $REPO/.talos/prox-n100/controlplane.yaml --config-patch @$REPO/.talos/prox-n100/patches/talos-cp-1.yaml",
                "talosctl get machinestatus --insecure --nodes \(worker) --endpoints \(worker)",
                "talosctl apply-config --insecure --nodes \(worker) --file $REPO/.talos/prox-n100/worker.yaml --config-patch @$REPO/.talos/prox-n100/patches/talos-w-1.yaml",
                "\(talos) --nodes \(cp) --endpoints \(cp) service etcd",
                "\(talos) --nodes \(cp) --endpoints \(cp) bootstrap",
                "\(talos) --nodes \(cp) --endpoints \(cp) service etcd",
                "\(talos) --nodes \(cp) --endpoints \(cp) bootstrap",
                "\(talos) --nodes \(cp) --endpoints \(cp) kubeconfig $REPO/.talos/prox-n100/kubeconfig --force",
                "\(talos) --nodes \(cp) --endpoints \(cp) health --wait-timeout 10m --control-plane-nodes \(cp) --worker-nodes \(worker)",
                "\(kube) get namespace flux-system",
                "\(kube) create namespace flux-system",
                "\(kube) -n flux-system create secret generic sops-age --from-file=age.agekey=$REPO/.age/keys.txt --dry-run=client -o yaml",
                "\(kube) apply --server-side -f -",
                "  (stdin: Secret sops-age)",
            ]
            #expect(Array(calls.prefix(expected.count)) == expected)
            let rest = Array(calls.dropFirst(expected.count))
            let fluxTail = [
                "\(kube) apply --server-side -f -",
                "  (stdin: Secret flux-system)",
                "\(kube) -n flux-system get deployment flux-operator -o jsonpath={.metadata.labels.app\\.kubernetes\\.io/version}",
                "\(kube) apply --server-side -f https://github.com/controlplaneio-fluxcd/flux-operator/releases/download/v0.58.1/install.yaml",
                "\(kube) wait --for=condition=established --timeout=5m crd/fluxinstances.fluxcd.controlplane.io",
                "\(kube) apply --server-side -f -",
                "  (stdin: FluxInstance flux)",
                "\(kube) -n flux-system wait fluxinstance/flux --for=condition=Ready --timeout=5m",
            ]
            #expect(rest.first?.hasPrefix("\(kube) -n flux-system create secret generic flux-system --from-literal=username=git --from-file=password=") == true)
            #expect(Array(rest.dropFirst().prefix(fluxTail.count)) == fluxTail)
            #expect(rest.dropFirst(1 + fluxTail.count).first?.contains("health --wait-timeout 30s") == true, "the check stage follows")
            #expect(!calls.joined().contains(UpFixture.gitToken), "the token never appears in arguments")
            #expect(simulator.state.vm(214)?.running == true && simulator.state.vm(215)?.running == true)

            // Second run: reality says everything is done.
            simulator.state.clearRecorded()
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions())
            let again = fixture.takeCalls()
            #expect(simulator.state.mutatingRequests.isEmpty, "no VM changes on the second run")
            #expect(!again.contains { $0.hasSuffix(" bootstrap") }, "etcd is bootstrapped exactly once")
            #expect(!again.contains { $0.contains("apply-config") })
            #expect(!again.contains { $0.contains("gen secrets") })
            #expect(!again.contains { $0.contains("create namespace") })
            #expect(!again.contains { $0.contains("releases/download") }, "the operator is not reinstalled")
            #expect(again.contains { $0.hasSuffix("service etcd") })

            // Logs: JSON lines, secrets redacted.
            let logs = try FileManager.default.contentsOfDirectory(atPath: fixture.repo.root + "/logs/bootstrap")
            #expect(logs.count == 1 && logs[0].hasSuffix("-prox-n100.jsonl"))
            let text = try String(contentsOfFile: fixture.repo.root + "/logs/bootstrap/" + logs[0], encoding: .utf8)
            let records = text.split(separator: "\n").compactMap { JSONValue.parse(Data($0.utf8)) }
            #expect(records.count == text.split(separator: "\n").count, "every line is a JSON object")
            #expect(records.allSatisfy { $0["stage"] != nil && $0["time"] != nil })
            #expect(Set(records.compactMap { $0["run"]?.string }).count == 2, "two runs share the day's file")
            #expect(!text.contains(UpFixture.gitToken))
            #expect(!text.contains(ProxmoxSimulator.tokenSecret))
            #expect(!text.contains("AGE-SECRET-KEY-1QQQQ"))
            #expect(!fixture.printed.all.joined().contains(UpFixture.gitToken))
        }
    }

    @Test("new Talos secrets are refused for a cluster that exists, unless --new-cluster")
    func refusesNewSecretsForExistingCluster() async throws {
        let fixture = try UpFixture()
        try await Self.withSimulator { simulator in
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .vms))
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .talos))
            try FileManager.default.removeItem(atPath: fixture.repo.root + "/.talos/prox-n100/secrets.yaml")
            _ = fixture.takeCalls()
            do {
                try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(from: .talos))
                Issue.record("new secrets were generated for an existing cluster")
            } catch let error as HomeportError {
                #expect(error.message.contains("refusing to generate new Talos secrets"))
                #expect(error.message.contains("--new-cluster"))
            }
            #expect(!fixture.takeCalls().contains { $0.contains("gen secrets") })
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .talos, newCluster: true))
            #expect(fixture.takeCalls().contains { $0.contains("gen secrets") })
        }
    }

    @Test("the flux stage refuses when local HEAD differs from origin")
    func refusesUnpushedHead() async throws {
        let fixture = try UpFixture()
        try fixture.repo.write("README.md", "changed\n")
        try fixture.repo.git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "--quiet", "-am", "local only")
        do {
            try await Bootstrapper(env: fixture.environment(nil)).run(BootstrapOptions(only: .flux))
            Issue.record("flux was installed from an unpushed HEAD")
        } catch let error as HomeportError {
            #expect(error.message.contains("differs from origin/main"))
        }
        #expect(fixture.takeCalls().isEmpty, "nothing reaches the cluster")
    }
}

@Suite("homeport up refuses a talosctl of another minor release")
struct TalosctlVersionTests {
    @Test("Talos v1.12 with talosctl v1.13 stops before anything is generated")
    func mismatch() async throws {
        let fixture = try UpFixture()
        var env = fixture.environment(nil)
        env.facts.talosVersion = "v1.12.4"
        do {
            try await Bootstrapper(env: env).run(BootstrapOptions(only: .talos))
            Issue.record("a mismatched talosctl was used")
        } catch let error as HomeportError {
            #expect(error.message.contains("install talosctl v1.12.x"))
        }
        #expect(fixture.takeCalls() == ["talosctl version --client --short"])
    }
}
