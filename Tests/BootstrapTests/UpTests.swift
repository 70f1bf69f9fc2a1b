import Bootstrap
import ClusterSpec
import Foundation
@testable import HomeportCLI
import HomeportCore
import Proxmox
import ProxmoxSimulator
import Talos
import Testing
import TestSupport

/// A repository with a pushed branch, the reference cluster definition and Talos patches,
/// fake talosctl/kubectl on PATH that validate what they are handed, and a Proxmox simulator.
final class UpFixture: Sendable {
    let repo: TemporaryRepo
    let origin: TemporaryRepo
    let bin: String
    let state: String
    let logFile: String
    let printed = LockedLines()
    let definition: ClusterDefinition

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
        let reference = try String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8)
        repo = try TemporaryRepo(files: [
            "cluster/kubernetes/flux/flux-instance.yaml": Self.flux, "README.md": "test\n",
            "config/clusters/prox-n100.yaml": reference,
            ".gitignore": ".talos/\n.fakebin/\n.fakestate/\n.fakelog\n.age/\nlogs/\n",
        ])
        try repo.copy(from: SharedData.packageRoot + "/cluster/talos", to: "cluster/talos")
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
        definition = try ClusterDefinition.loadValid(repoRoot: repo.root, cluster: nil)
    }

    /// The node addresses of the reference cluster.
    var controlPlaneAddress: String { definition.controlPlanes[0].addressText }
    var workerAddress: String { definition.workers[0].addressText }

    /// The environment the fakes run in: the talosctl of the cluster's Talos minor, checking
    /// configs against the upstream schema of that minor.
    func variables(talosctlVersion: String? = nil) -> [String: String] {
        var variables = ProcessInfo.processInfo.environment
        variables["PATH"] = "\(bin):" + (variables["PATH"] ?? "/usr/bin:/bin")
        variables["FAKE_LOG"] = logFile
        variables["FAKE_STATE"] = state
        variables["FAKE_REPO"] = repo.root
        variables["FAKE_TALOSCTL_VERSION"] = talosctlVersion ?? definition.talos.version.description
        variables["FAKE_TALOS_SCHEMA_DIR"] = SharedData.path("talos") ?? "/nonexistent"
        variables["FAKE_CRD_SCHEMA_DIR"] = SharedData.path("crd-schemas") ?? "/nonexistent"
        return variables
    }

    static let gitToken = "ghp_FAKEtoken0123456789abcdef"

    func environment(_ simulator: ProxmoxSimulator?, definition: ClusterDefinition? = nil,
                     variables: [String: String]? = nil, prober: any AddressProber = SilentNetwork()) -> BootstrapEnvironment {
        let runner = ProcessRunner(environment: variables ?? self.variables())
        let printed = self.printed
        var definition = definition ?? self.definition
        let log = BootstrapLog(directory: URL(fileURLWithPath: repo.root + "/logs/bootstrap"), cluster: definition.name) { printed.append($0) }
        if let simulator { definition.proxmox.endpoint = simulator.endpoint.absoluteString }
        return BootstrapEnvironment(
            repoRoot: repo.root, definition: definition, runner: runner,
            proxmox: simulator?.connection(), ageKeyFile: repo.root + "/.age/keys.txt",
            gitCredentials: .token(username: "git", token: Self.gitToken),
            timing: BootstrapTiming(retryInterval: .milliseconds(10), attempts: 5, healthTimeout: "10m", waitTimeout: "5m"), log: log,
            prober: prober)
    }

    /// The config the fake node holds (what was applied to it), or nil.
    func appliedConfig(_ address: String) -> String? {
        try? String(contentsOfFile: "\(state)/config-\(address).yaml", encoding: .utf8)
    }

    /// The recorded calls, with the temporary root replaced by `$REPO`, and the log emptied.
    func takeCalls() -> [String] {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: logFile)
        return text.split(separator: "\n").map { $0.replacingOccurrences(of: repo.root, with: "$REPO") }
    }
}

/// A network where nothing answers, and nothing is really probed: the reference definition's
/// addresses are LAN addresses, which tests never contact. It records what it was asked.
final class SilentNetwork: AddressProber, Sendable {
    private let asked = Locked<[String]>([])
    private let answering: Set<String>

    init(answering: Set<String> = []) { self.answering = answering }

    func probe(_ address: String, port: Int) async -> ProbeResult {
        asked.withLock { $0.append("\(address):\(port)") }
        return answering.contains(address) ? .accepted : .silent
    }

    var questions: [String] { asked.value }
}

final class LockedLines: Sendable {
    private let lines = Locked<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.value }
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
            let cp = fixture.controlPlaneAddress, worker = fixture.workerAddress
            let talos = "talosctl --talosconfig $REPO/.talos/prox-n100/talosconfig"
            let kube = "kubectl --kubeconfig $REPO/.talos/prox-n100/kubeconfig"
            let expected = [
                "talosctl version --client --short",
                "talosctl get machinestatus --insecure --nodes \(cp) --endpoints \(cp)",
                "talosctl get machinestatus --insecure --nodes \(worker) --endpoints \(worker)",
                "talosctl get machinestatus --insecure --nodes \(cp) --endpoints \(cp)",
                "talosctl apply-config --insecure --nodes \(cp) --file $REPO/.talos/prox-n100/talos-cp-1.yaml",
                "talosctl get machinestatus --insecure --nodes \(worker) --endpoints \(worker)",
                "talosctl apply-config --insecure --nodes \(worker) --file $REPO/.talos/prox-n100/talos-w-1.yaml",
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
            #expect(!again.contains { $0.contains("apply-config") && !$0.contains("--dry-run") }, "only status's read-only dry runs")
            #expect(report?.checks.contains { $0.area == "talos config" && $0.healthy } == true, "status compares running configs")
            #expect(!calls.contains { $0.contains(" gen ") } && !again.contains { $0.contains(" gen ") }, "nothing runs talosctl gen")
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
            let secrets = fixture.repo.root + "/.talos/prox-n100/secrets.yaml"
            #expect(!FileManager.default.fileExists(atPath: secrets), "no new secrets without --new-cluster")
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .talos, newCluster: true))
            #expect(FileManager.default.fileExists(atPath: secrets))
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
    @Test("the cluster's Talos with a talosctl of another minor stops before anything is generated")
    func mismatch() async throws {
        let fixture = try UpFixture()
        let env = fixture.environment(nil, variables: fixture.variables(talosctlVersion: "v1.12.4"))
        do {
            try await Bootstrapper(env: env).run(BootstrapOptions(only: .talos))
            Issue.record("a mismatched talosctl was used")
        } catch let error as HomeportError {
            let minor = fixture.definition.talos.version
            #expect(error.message.contains("install talosctl v\(minor.major).\(minor.minor).x"))
        }
        #expect(fixture.takeCalls() == ["talosctl version --client --short"])
    }
}

@Suite("up applies what talos gen renders")
struct SingleSourceOfTruthTests {
    @Test("node by node, the config up applies is the file `homeport talos gen` writes, with every patch")
    func appliedConfigIsTalosGenOutput() async throws {
        let fixture = try UpFixture()
        try await UpTests.withSimulator { simulator in
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .vms))
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .talos))
            // Render again through the talos gen command and compare with what the nodes hold.
            var gen = try HomeportCommand.parseAsRoot(["talos", "gen", "--repo", fixture.repo.root])
            try gen.run()
            let patches = try TalosWorkspace(repositoryRoot: fixture.repo.root, clusterName: "prox-n100").loadPatches()
            #expect(!patches.all.isEmpty && !patches.controlplane.isEmpty, "the reference patches are in the fixture")
            for node in fixture.definition.nodes {
                let applied = try #require(fixture.appliedConfig(node.addressText), "nothing was applied to \(node.name)")
                let rendered = try String(contentsOfFile: "\(fixture.repo.root)/.talos/prox-n100/\(node.name).yaml", encoding: .utf8)
                #expect(applied == rendered, "\(node.name) runs a config other than the one talos gen renders")
                #expect(applied.contains("rotate-server-certificates"), "the kubelet patch reached \(node.name)")
                #expect(applied.contains("kind: UserVolumeConfig\nname: local-path-provisioner"), "the local-path patch reached \(node.name)")
                #expect(applied.contains(fixture.definition.network.podCIDR.description))
                #expect(applied.contains(fixture.definition.network.nodeCIDR.description), "the node subnet from the definition")
                #expect(applied.contains(node.name), "the node's hostname is in its config")
            }
            let controlPlane = try #require(fixture.appliedConfig(fixture.controlPlaneAddress))
            #expect(controlPlane.contains("os:etcd:backup"), "the control-plane patch reached the control plane")
            #expect(controlPlane.contains(fixture.definition.network.controlPlaneVIP.description), "the VIP is on the control plane")
            #expect(!(fixture.appliedConfig(fixture.workerAddress) ?? "").contains("os:etcd:backup"))
        }
    }

    @Test("talos apply --dry-run shows per node what would change; apply brings an edited patch to running nodes")
    func talosApplyReachesRunningNodes() async throws {
        let fixture = try UpFixture()
        try await UpTests.withSimulator { simulator in
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .vms))
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .talos))
            let rollout = TalosConfigRollout(env: fixture.environment(simulator))
            let unchanged = try await rollout.plan()
            #expect(unchanged.map(\.changed) == [false, false], "a freshly built cluster runs what the repo renders")

            // An edited patch: a new kubelet argument for every node.
            let kubelet = fixture.repo.root + "/cluster/talos/patches/all/kubelet.yaml"
            let text = try String(contentsOfFile: kubelet, encoding: .utf8)
            try text.replacingOccurrences(of: "rotate-server-certificates: \"true\"",
                                          with: "rotate-server-certificates: \"true\"\n  max-pods: \"150\"")
                .write(toFile: kubelet, atomically: true, encoding: .utf8)
            _ = fixture.takeCalls()
            let planned = try await rollout.plan()
            #expect(planned.map(\.changed) == [true, true])
            #expect(planned.allSatisfy { $0.diff.contains("max-pods") && !$0.needsReboot })
            #expect(rollout.render(planned).contains("applies without a reboot"))
            #expect(fixture.takeCalls().allSatisfy { !$0.contains("apply-config") || $0.contains("--dry-run") }, "a dry run applies nothing")

            _ = try await rollout.apply(allowReboot: false) { _ in }
            let calls = fixture.takeCalls()
            let applies = calls.filter { $0.contains("apply-config") && !$0.contains("--dry-run") }
            #expect(applies.count == 2)
            #expect(applies.first?.contains("--nodes \(fixture.controlPlaneAddress)") == true, "control planes first")
            #expect(applies.allSatisfy { $0.contains("--mode no-reboot") })
            #expect(fixture.appliedConfig(fixture.workerAddress)?.contains("max-pods") == true)
            #expect(try await rollout.plan().allSatisfy { !$0.changed })
        }
    }

    @Test("a change that needs a reboot is not applied without --allow-reboot, and says so")
    func rebootNeedsConsent() async throws {
        let fixture = try UpFixture()
        try await UpTests.withSimulator { simulator in
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .vms))
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .talos))
            var definition = fixture.definition
            definition.talos.installDisk = "/dev/vda"
            let rollout = TalosConfigRollout(env: fixture.environment(simulator, definition: definition))
            let before = fixture.appliedConfig(fixture.controlPlaneAddress)
            do {
                _ = try await rollout.apply(allowReboot: false) { _ in }
                Issue.record("a reboot happened without consent")
            } catch let error as HomeportError {
                #expect(error.message.contains("talos-cp-1 needs a reboot"))
                #expect(error.message.contains("--allow-reboot"))
            }
            #expect(fixture.appliedConfig(fixture.controlPlaneAddress) == before, "nothing was applied")
        }
    }
}

@Suite("a bring-up you can see")
struct BringUpVisibilityTests {
    @Test("a node that never answers: up shows what Proxmox sees and names the cause (a DHCP address) on timeout")
    func diagnosesFromSimulatorState() async throws {
        let fixture = try UpFixture()
        try await UpTests.withSimulator { simulator in
            try await Bootstrapper(env: fixture.environment(simulator)).run(BootstrapOptions(only: .vms))
            let worker = fixture.definition.workers[0]
            // The worker's guest ignored the cloud-init network data and leased an address.
            simulator.state.setGuestNetwork(.dhcp("192.168.1.150"), vmid: worker.vmid)
            var variables = fixture.variables()
            variables["FAKE_UNREACHABLE"] = worker.addressText
            let network = SilentNetwork()
            do {
                try await Bootstrapper(env: fixture.environment(simulator, variables: variables, prober: network)).run(BootstrapOptions(only: .talos, newCluster: true))
                Issue.record("an unreachable node was waited past")
            } catch let error as HomeportError {
                #expect(error.message.contains(worker.name))
                #expect(error.message.contains("192.168.1.150"), "the address the guest agent reports: \(error.message)")
                #expect(error.message.lowercased().contains("dhcp"), "the likely cause is named: \(error.message)")
            }
            #expect(fixture.printed.all.contains { $0.contains(worker.name) && $0.contains("192.168.1.150") }, "the per-node view while waiting")
            #expect(network.questions.allSatisfy { $0.hasPrefix(worker.addressText + ":") || $0.hasPrefix(fixture.controlPlaneAddress + ":") },
                    "only planned addresses are asked about, and only through the injected prober")
        }
    }

    @Test("before creating VMs, up refuses when something already answers at a planned address")
    func plannedAddressTaken() async throws {
        let fixture = try UpFixture()
        try await UpTests.withSimulator { simulator in
            let network = SilentNetwork(answering: [fixture.workerAddress])
            do {
                try await Bootstrapper(env: fixture.environment(simulator, prober: network)).run(BootstrapOptions(only: .vms))
                Issue.record("VMs were created on an address in use")
            } catch let error as HomeportError {
                #expect(error.message.contains("nothing was created"))
                #expect(error.message.contains(fixture.workerAddress))
            }
            #expect(simulator.state.mutatingRequests.isEmpty, "no VM was created")
        }
    }
}
