import Bootstrap
import Foundation
import MCP
import Proxmox
import Talos

/// `cluster_status`: `homeport status` — VMs, Talos health, nodes, the revision Flux applied,
/// Kustomizations and HelmReleases — read through the read-only environment.
struct ClusterStatusTool: OperationsTool {
    let name = "cluster_status"
    let summary = "The health of the cluster like `homeport status`: Proxmox VMs, Talos health, Kubernetes nodes, Flux revision, Kustomizations and HelmReleases. Reads only."
    let inputSchema = Schema.object(["cluster": OperationsEnvironment.clusterArgument])

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        await OperationsEnvironment.with(arguments, context) { environment in
            let report = await Bootstrapper(env: environment).health()
            return ToolOutput(text: report.renderText(), structured: StructuredValue.from(json: report.renderJSON()))
        }
    }
}

/// `proxmox_plan`: what `homeport proxmox apply` would change, read from the host with GET requests only.
struct ProxmoxPlanTool: OperationsTool {
    let name = "proxmox_plan"
    let summary = "The Proxmox plan like `homeport proxmox plan`: VMs to create, update or start on the host, read with GET requests only."
    let inputSchema = Schema.object(["cluster": OperationsEnvironment.clusterArgument])

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        await OperationsEnvironment.with(arguments, context) { environment in
            guard let connection = environment.proxmox else {
                return .failure("the Proxmox token secret is not available to the server (PROXMOX_TOKEN_SECRET or proxmox.tokenSecretFile)")
            }
            let input = try environment.definition.proxmoxPlanInput()
            let plan = try await ProxmoxClient.with(connection) { client in
                try await ProxmoxDeployer(client: client, input: input).plan()
            }
            return ToolOutput(text: plan.renderText())
        }
    }
}

/// `talos_plan`: the Talos and Kubernetes upgrade sequence, planned from the repository alone
/// (as `homeport talos upgrade --from-repository` does); nothing is run.
struct TalosPlanTool: OperationsTool {
    let name = "talos_plan"
    let summary = "The Talos and Kubernetes upgrade plan from the cluster definition (like `homeport talos upgrade --from-repository`): the talosctl steps, none of them run."
    let inputSchema = Schema.object(["cluster": OperationsEnvironment.clusterArgument])

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        await OperationsEnvironment.with(arguments, context) { environment in
            let input = environment.definition.talosInput
            let workspace = environment.talosWorkspace
            // A fixed name: the same repository gives the same answer; the real run stamps it.
            let plan = try UpgradePlan(fromRepository: input, workspace: workspace,
                                       snapshotPath: "\(workspace.folder)/etcd-TIMESTAMP.snapshot")
            let relative = plan.text.replacingOccurrences(of: context.repoRoot + "/", with: "")
            return ToolOutput(text: "Planned from the repository alone (every node assumed to need it); `homeport talos upgrade` reads the nodes and runs it with --yes.\n" + relative)
        }
    }
}

/// `up_dry_run`: `homeport up --dry-run`, stage by stage; the VM stage reads the host with GET requests.
struct UpDryRunTool: OperationsTool {
    let name = "up_dry_run"
    let summary = "What `homeport up` would do, stage by stage (`homeport up --dry-run`); nothing is changed."
    let inputSchema = Schema.object(["cluster": OperationsEnvironment.clusterArgument])

    func call(_ arguments: [String: Value], context: ToolContext) async -> ToolOutput {
        await OperationsEnvironment.with(arguments, context) { environment in
            ToolOutput(text: await Bootstrapper(env: environment).dryRun(BootstrapOptions(dryRun: true)))
        }
    }
}
