import ArgumentParser
import Foundation
import HomeportCore

/// The `homeport` command: subcommands only copy flags into option values and call the
/// libraries.
public struct HomeportCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "homeport",
        abstract: "Keeps a homelab repository true to its contract: checks, renders, secrets, Talos, Proxmox, bootstrap.",
        version: "0.1.0",
        subcommands: [
            InitCommand.self,
            CheckCommand.self,
            RulesCommand.self,
            ClusterCommand.self,
            HooksCommand.self,
            DocsCommand.self,
            NewCommand.self,
            SecretsCommand.self,
            BackupCommand.self,
            AICommand.self,
            CICommand.self,
            KustomizeCommand.self,
            FluxCommand.self,
            TalosCommand.self,
            AlertsCommand.self,
            ProxmoxCommand.self,
            UpCommand.self,
            StatusCommand.self,
            DoctorCommand.self,
        ]
    )

    public init() {}

    /// Makes Ctrl-C, SIGTERM and SIGHUP stop the programs homeport started (talosctl, kubectl,
    /// git) before homeport exits. Only the executable calls this, not in-process tests.
    public static func stopChildrenOnInterrupt() {
        ChildProcessRegistry.shared.stopChildrenOnInterrupt()
    }

    /// Runs the command line. Usage errors exit 2 (not ArgumentParser's 64), tool failures 1.
    public static func main(arguments: [String]? = nil) async {
        // An interrupt stops the children and exits 130; whatever their end made the command
        // do meanwhile must not exit first with another status.
        defer { ChildProcessRegistry.shared.yieldToInterrupt() }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as HomeportError {
            ChildProcessRegistry.shared.yieldToInterrupt()
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            Foundation.exit(error.kind == .usage ? 2 : 1)
        } catch {
            ChildProcessRegistry.shared.yieldToInterrupt()
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
