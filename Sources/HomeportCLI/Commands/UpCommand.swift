import AgentHarness
import ArgumentParser
import Bootstrap
import Foundation
import HomeportCore

extension BootstrapStage: ExpressibleByArgument {}

/// `homeport up`: Proxmox VMs → Talos → Flux → check, idempotent and resumable.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Build the cluster: VMs on Proxmox, Talos, Flux, then a health check. Safe to re-run."
    )

    @OptionGroup var options: ClusterOptions
    @Option(help: "Run only this stage: vms, talos, flux or check.") var only: BootstrapStage?
    @Option(help: "Start at this stage and run the ones after it.") var from: BootstrapStage?
    @Flag(name: .customLong("dry-run"), help: "Print every stage's steps without changing anything.") var dryRun = false
    @Flag(name: .customLong("new-cluster"), help: "Allow new Talos secrets although the cluster seems to exist.") var newCluster = false

    func validate() throws {
        if only != nil && from != nil { throw ValidationError("use --only or --from, not both") }
    }

    func run() async throws {
        let definition = try options.definition()
        let progress = TerminalProgress(interactive: !dryRun && isatty(STDOUT_FILENO) == 1)
        defer { progress.finish() }
        let env = try BootstrapEnvironment.make(repoRoot: options.root, definition: definition, environment: ProcessInfo.processInfo.environment,
                                                printer: { progress.line($0) }, keepLog: !dryRun)
        let bootstrapper = Bootstrapper(env: env)
        let selection = BootstrapOptions(only: only, from: from, dryRun: dryRun, newCluster: newCluster)
        if dryRun {
            Output.print(await bootstrapper.dryRun(selection))
            return
        }
        do {
            try await bootstrapper.run(selection)
        } catch {
            progress.finish()
            if let path = env.log.path { Output.printError("log: \(path.replacingOccurrences(of: options.root + "/", with: ""))\n") }
            throw error
        }
        progress.finish()
        if let path = env.log.path { Output.print("log: \(path.replacingOccurrences(of: options.root + "/", with: ""))\n") }
    }
}

/// `homeport status`: health from VM to HelmRelease with a verdict and exit code.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Cluster health: VMs, Talos, nodes, Flux revision, Kustomizations, HelmReleases, unmanaged objects."
    )

    @OptionGroup var options: ClusterOptions
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text

    func run() async throws {
        let definition = try options.definition()
        let env = try BootstrapEnvironment.make(repoRoot: options.root, definition: definition, environment: ProcessInfo.processInfo.environment,
                                                printer: { _ in }, keepLog: false)
        let report = await Bootstrapper(env: env).health()
        Output.print(format == .json ? report.renderJSON() : report.renderText())
        if !report.healthy { throw ExitCode.failure }
    }
}

/// `homeport doctor`: external tools and their versions.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that talosctl, kubectl and git are installed at fitting versions."
    )

    @OptionGroup var options: ClusterOptions

    func run() async throws {
        let definition = try? options.definition()
        let doctor = Doctor(runner: ProcessRunner(), talosVersion: definition?.talos.version.description,
                            kubernetesVersion: definition?.talos.kubernetesVersion.description)
        let reports = await doctor.check()
        Output.print(Doctor.render(reports))
        Output.print(AgentDoctor.lines(root: options.repoOptions.root).map { $0 + "\n" }.joined())
        if reports.contains(where: { !$0.ok }) { throw ExitCode.failure }
    }
}
