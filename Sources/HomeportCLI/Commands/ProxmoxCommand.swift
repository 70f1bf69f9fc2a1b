import ArgumentParser
import Bootstrap
import Foundation
import HomeportCore
import Proxmox

/// `homeport proxmox plan|apply|destroy|status`: the cluster's VMs on Proxmox VE.
struct ProxmoxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxmox",
        abstract: "Plan, create, update or destroy the cluster's VMs on Proxmox VE.",
        subcommands: [Plan.self, Apply.self, Destroy.self, Status.self]
    )

    /// The client input shared by the subcommands.
    static func setup(_ options: ClusterOptions) async throws -> (ProxmoxConnection, ProxmoxPlanInput) {
        let definition = try options.definition()
        let environment = ProcessInfo.processInfo.environment
        let secret = try ProxmoxTokenSecret.read(for: definition, repoRoot: options.root, environment: environment)
        guard let connection = try definition.proxmoxConnection(repoRoot: options.root, secret: secret) else {
            throw HomeportError.usage("set PROXMOX_TOKEN_SECRET to the secret of the API token \(definition.proxmox.tokenID), or proxmox.tokenSecretFile to a SOPS file holding tokenSecret")
        }
        return (connection, try definition.proxmoxPlanInput())
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what apply would create, update or start.")
        @OptionGroup var options: ClusterOptions
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            let (connection, input) = try await ProxmoxCommand.setup(options)
            let plan = try await ProxmoxClient.with(connection) { client in
                try await ProxmoxDeployer(client: client, input: input).plan()
            }
            Output.print(format == .json ? plan.renderJSON() : plan.renderText())
            if !plan.errors.isEmpty { throw ExitCode.failure }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create, update and start the VMs (never reboots a running VM).")
        @OptionGroup var options: ClusterOptions

        func run() async throws {
            let (connection, input) = try await ProxmoxCommand.setup(options)
            let plan = try await ProxmoxClient.with(connection) { client in
                try await ProxmoxDeployer(client: client, input: input) { step in
                    Output.print("\(step.verb) \(step.subject)\n")
                }.apply()
            }
            Output.print(plan.hasChanges ? plan.renderText() : "Nothing to do: the VMs match the cluster definition.\n")
        }
    }

    struct Destroy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop and delete every VM tagged with the cluster (needs --yes).")
        @OptionGroup var options: ClusterOptions
        @Flag(help: "Really destroy the VMs and their disks.") var yes = false

        func run() async throws {
            guard yes else {
                throw HomeportError.usage("destroy deletes every VM tagged homeport and the cluster name, with its disks; add --yes to do it")
            }
            let (connection, input) = try await ProxmoxCommand.setup(options)
            let removed = try await ProxmoxClient.with(connection) { client in
                try await ProxmoxDeployer(client: client, input: input) { step in
                    Output.print("\(step.verb) \(step.subject)\n")
                }.destroy()
            }
            Output.print(removed.isEmpty ? "No VM carries the tags of cluster \(input.clusterName).\n" : "Destroyed \(removed.count) VM(s).\n")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The cluster's VMs: state, pending changes, locks.")
        @OptionGroup var options: ClusterOptions
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            let (connection, input) = try await ProxmoxCommand.setup(options)
            let statuses = try await ProxmoxClient.with(connection) { client in
                try await ProxmoxDeployer(client: client, input: input).status()
            }
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                Output.print(String(decoding: try encoder.encode(statuses), as: UTF8.self) + "\n")
            } else {
                for vm in statuses {
                    var line = "\(vm.name) (VMID \(vm.vmid)): \(vm.state)"
                    if !vm.pendingKeys.isEmpty { line += ", pending until restart: \(vm.pendingKeys.joined(separator: ", "))" }
                    if let lock = vm.lock, !lock.isEmpty { line += ", locked (\(lock))" }
                    Output.print(line + "\n")
                }
            }
            if statuses.contains(where: { !$0.isHealthy }) { throw ExitCode.failure }
        }
    }
}
