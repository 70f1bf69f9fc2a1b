import ArgumentParser
import Bootstrap
import ClusterSpec
import Foundation
import HomeportCore
import Talos

/// `homeport talos ...`: secrets bundle, machine configs, talosconfig, schematic, upgrades.
struct TalosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "talos",
        abstract: "Talos secrets, machine configs, talosconfig, Image Factory schematic and upgrades.",
        subcommands: [Secrets.self, Gen.self, Apply.self, Talosconfig.self, Schematic.self, Upgrade.self, Migrate.self]
    )

    /// `--repo` and `--cluster`, shared by the cluster-definition commands.
    struct ClusterOptions: ParsableArguments {
        @OptionGroup var repoOptions: RepoOptions

        @Option(help: "The cluster (config/clusters/NAME.yaml); optional when there is only one.")
        var cluster: String?

        /// The cluster's Talos inputs and its `.talos/NAME/` workspace.
        func load() throws -> (input: TalosGenerationInput, workspace: TalosWorkspace) {
            let root = repoOptions.root
            let loaded = try ClusterWorkspace(root: root).load(named: cluster)
            let input = TalosGenerationInput(definition: try loaded.validDefinition())
            return (input, TalosWorkspace(repositoryRoot: root, clusterName: input.clusterName))
        }
    }

    struct Secrets: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the cluster's secrets bundle in .talos/NAME/secrets.yaml (never overwrites one).")

        @OptionGroup var cluster: ClusterOptions

        @Option(name: .customLong("import"), help: "Store this bundle (from `talosctl gen secrets`) instead of generating one.")
        var importPath: String?

        func run() throws {
            let (input, workspace) = try cluster.load()
            if let importPath {
                try workspace.importSecrets(from: importPath)
                Output.print("imported \(importPath) into \(workspace.secretsPath) (mode 0600)\n")
            } else {
                try workspace.createSecrets(contract: try input.contract)
                Output.print("wrote \(workspace.secretsPath) (mode 0600, gitignored); back it up: without it the cluster cannot be managed\n")
            }
        }
    }

    struct Gen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate machine configs.",
            subcommands: [Cluster.self, Config.self],
            defaultSubcommand: Cluster.self)

        struct Cluster: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Control-plane, worker and per-node configs and talosconfig from the cluster definition and cluster/talos/patches into .talos/NAME/.")

            @OptionGroup var cluster: ClusterOptions

            func run() throws {
                let (input, workspace) = try cluster.load()
                let contract = try input.contract
                if !TalosContract.verified.contains(contract) {
                    Output.printError("warning: the Talos \(contract) contract follows the same data but has no schema to verify it against\n")
                }
                for path in try workspace.writeConfigs(input: input) {
                    Output.print("wrote \(path)\n")
                }
                let renderer = ClusterConfigRenderer(input: input, secrets: try workspace.loadSecrets(), patches: try workspace.loadPatches())
                for warning in try renderer.warnings() {
                    Output.printError("\(warning.location.description): warning: \(warning.message)\n")
                }
            }
        }

        struct Config: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "talosctl-compatible: write controlplane.yaml, worker.yaml and talosconfig.")

            @Argument(help: "Cluster name.") var name: String
            @Argument(help: "Kubernetes API endpoint, https://HOST:6443.") var endpoint: String
            @Option(name: .customLong("with-secrets"), help: "Secrets bundle to use.") var withSecrets: String
            @Option(name: .customLong("talos-version"), help: "Version contract, e.g. v1.13.") var talosVersion: String?
            @Option(name: .customLong("kubernetes-version"), help: "Kubernetes version, e.g. 1.34.2.") var kubernetesVersion: String?
            @Option(name: .customLong("config-patch"), help: "Patch (@FILE or inline), repeatable.") var configPatch: [String] = []
            @Option(name: .customLong("install-disk"), help: "Install disk.") var installDisk = "/dev/sda"
            @Option(name: .customLong("install-image"), help: "Installer image.") var installImage: String?
            @Option(name: .customLong("additional-sans"), help: "Extra certificate SANs, comma-separated.") var additionalSANs: String?
            @Option(name: .customLong("dns-domain"), help: "Kubernetes DNS domain.") var dnsDomain = "cluster.local"
            @Option(name: [.customShort("o"), .customLong("output-dir")], help: "Output folder.") var outputDir = "."
            // Accepted so talosctl scripts keep working; homeport never writes comments anyway.
            @Option(name: .customLong("with-docs"), help: "Accepted for talosctl compatibility (no comments are written).") var withDocs: Bool?
            @Option(name: .customLong("with-examples"), help: "Accepted for talosctl compatibility (no examples are written).") var withExamples: Bool?
            @Flag(help: "Replace existing output files.") var force = false

            func run() throws {
                var generation = TalosctlCompatibleGeneration(clusterName: name, endpoint: endpoint, secretsPath: withSecrets, outputDirectory: outputDir)
                generation.talosVersion = talosVersion
                generation.kubernetesVersion = kubernetesVersion
                generation.patchArguments = configPatch
                generation.installDisk = installDisk
                generation.installImage = installImage
                generation.additionalSANs = (additionalSANs ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                generation.dnsDomain = dnsDomain
                generation.force = force
                for path in try generation.run() {
                    Output.print("created \(path)\n")
                }
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the configs the repository renders to running nodes, one at a time (--dry-run: show what would change).")

        @OptionGroup var cluster: ClusterOptions
        @Flag(name: .customLong("dry-run"), help: "Show, node by node, what would change against the config it runs.") var dryRun = false
        @Flag(name: .customLong("allow-reboot"), help: "Apply changes that need a reboot (one node at a time).") var allowReboot = false

        func run() async throws {
            let root = cluster.repoOptions.root
            let definition = try ClusterDefinition.loadValid(repoRoot: root, cluster: cluster.cluster)
            let env = try BootstrapEnvironment.make(repoRoot: root, definition: definition,
                                                    environment: ProcessInfo.processInfo.environment,
                                                    printer: { Output.print($0 + "\n") }, keepLog: !dryRun)
            let rollout = TalosConfigRollout(env: env)
            if dryRun {
                Output.print(rollout.render(try await rollout.plan()))
                return
            }
            _ = try await rollout.apply(allowReboot: allowReboot) { Output.print($0 + "\n") }
        }
    }

    struct Talosconfig: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write .talos/NAME/talosconfig with a new one-year admin certificate.")

        @OptionGroup var cluster: ClusterOptions

        func run() throws {
            let (input, workspace) = try cluster.load()
            let config = try Talos.Talosconfig.generate(context: input.clusterName, endpoints: input.talosEndpoints,
                                                        nodes: Array(input.talosEndpoints.prefix(1)), secrets: try workspace.loadSecrets())
            try AtomicFile.write(config.yaml, to: URL(fileURLWithPath: workspace.talosconfigPath), permissions: 0o600)
            Output.print("wrote \(workspace.talosconfigPath) (endpoints: \(input.talosEndpoints.joined(separator: ", ")))\n")
        }
    }

    struct Schematic: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the Image Factory schematic, its id and the installer and ISO for the cluster's Talos version.")

        @OptionGroup var cluster: ClusterOptions

        func run() throws {
            let (input, workspace) = try cluster.load()
            let schematic = try input.schematic
            if let data = FileManager.default.contents(atPath: workspace.schematicPath), let text = String(data: data, encoding: .utf8) {
                let file = try Talos.Schematic.parse(text, path: workspace.relative(workspace.schematicPath))
                if file.id != schematic.id {
                    throw HomeportError("cluster/talos/schematic.yaml (id \(file.id)) does not match talos.extensions of the cluster definition (id \(schematic.id)); make them agree",
                                        at: SourceLocation(path: "cluster/talos/schematic.yaml"))
                }
            }
            Output.print(schematic.canonicalYAML)
            Output.print("""
                id: \(schematic.id)
                installer: \(schematic.installerImage(talosVersion: input.talosVersion))
                iso: \(schematic.imageURL(talosVersion: input.talosVersion))

                """)
        }
    }

    struct Upgrade: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upgrade Talos and Kubernetes to the versions in the cluster definition (reads what the nodes run, prints the plan; --yes runs it).",
            discussion: """
                Talos moves one minor release at a time and one node at a time (control planes first) with the \
                schematic's installer; Kubernetes moves cluster-wide afterwards. An etcd snapshot comes first, the \
                cluster's health is checked after every node, and the first failure stops the run. \
                --from-repository plans without asking the nodes (as in a pull request): every node is assumed to need it.
                """)

        @OptionGroup var cluster: ClusterOptions

        @Flag(help: "Run the plan with talosctl.") var yes = false

        @Flag(help: "Plan from the repository alone, without reading the nodes' versions (for a pull request).")
        var fromRepository = false

        @Option(help: "The talosctl to run (its minor version should match the cluster's Talos).")
        var talosctl = "talosctl"

        @Option(help: "The kubectl to read node versions with.")
        var kubectl = "kubectl"

        func run() throws {
            let (input, workspace) = try cluster.load()
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            let snapshotPath = "\(workspace.folder)/etcd-\(stamp).snapshot"
            let installer = try input.schematic.installerImage(talosVersion: input.talosVersion)
            let plan: UpgradePlan
            if fromRepository {
                plan = try UpgradePlan(fromRepository: input, workspace: workspace, snapshotPath: snapshotPath, talosctl: talosctl)
                Output.print("Planned from the repository alone: nodes already at the target are skipped when the plan runs against the cluster.\n")
            } else {
                guard FileManager.default.fileExists(atPath: workspace.talosconfigPath) else {
                    throw HomeportError.usage("no \(workspace.talosconfigPath); run `homeport talos gen` first (or pass --from-repository)")
                }
                guard let observed = try observedPlan(input: input, workspace: workspace, installer: installer, snapshotPath: snapshotPath) else {
                    return
                }
                plan = observed
            }
            guard yes else {
                Output.print(plan.text + "Nothing was run; pass --yes to run these steps.\n")
                return
            }
            guard FileManager.default.fileExists(atPath: workspace.talosconfigPath) else {
                throw HomeportError.usage("no \(workspace.talosconfigPath); run `homeport talos gen` first")
            }
            for warning in plan.warnings { Output.print("warning: \(warning)\n") }
            try plan.execute(with: ProcessCommandRunner()) { Output.print($0 + "\n") }
        }

        /// Reads the nodes' versions and asks the planner: the plan, nil when every node is
        /// current (said on stdout), or an error when the planner refuses.
        func observedPlan(input: TalosGenerationInput, workspace: TalosWorkspace, installer: String, snapshotPath: String) throws -> UpgradePlan? {
            guard let talosTarget = SemanticVersion(input.talosVersion) else {
                throw HomeportError.usage("talos.version \(input.talosVersion) is not a version")
            }
            let tool = Talos.Talosctl(program: talosctl, talosconfig: workspace.talosconfigPath)
            let nodes = input.nodes.compactMap { node in
                node.address.map { ObservedVersionReader.Node(name: node.hostname, address: $0, role: node.role == .controlplane ? .controlPlane : .worker) }
            }
            let observed = try ObservedVersionReader(talosctl: tool, kubectl: kubectl, kubeconfig: workspace.folder + "/kubeconfig")
                .read(nodes, with: ProcessCommandRunner())
            let target = UpgradeTarget(talosVersion: talosTarget, kubernetesVersion: SemanticVersion(input.kubernetesVersion), installerImage: installer)
            switch UpgradePlanner(nodes: observed, target: target, talosctl: tool, snapshotPath: snapshotPath).decide() {
            case .current(let message):
                Output.print(message + "\n")
                return nil
            case .refused(let refusal):
                throw HomeportError("upgrade refused: \(refusal.reason)")
            case .plan(let plan):
                return plan
            }
        }
    }
}
