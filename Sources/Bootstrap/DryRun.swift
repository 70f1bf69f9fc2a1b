import Foundation
import Proxmox

extension Bootstrapper {
    /// What `up` would do, stage by stage, without changing anything. With a Proxmox
    /// connection the VM stage shows the live plan (read-only requests); without, the
    /// desired VMs.
    public func dryRun(_ options: BootstrapOptions) async -> String {
        let facts = env.facts
        let stages = options.stages
        var out = ["homeport up --dry-run for cluster \(facts.name): nothing is changed.", ""]
        for (index, stage) in stages.enumerated() {
            out.append("Stage \(index + 1)/\(stages.count): \(stage.rawValue)")
            switch stage {
            case .vms: out += await vmLines()
            case .talos: out += talosLines()
            case .flux: out += fluxLines()
            case .check: out += checkLines()
            }
            out.append("")
        }
        return env.log.redact(out.joined(separator: "\n"))
    }

    private func vmLines() async -> [String] {
        let facts = env.facts
        let input = facts.proxmoxPlanInput
        var lines = ["  Proxmox VE \(facts.proxmox.endpoint), node \(facts.proxmox.node), tags homeport;\(facts.name)"]
        if let connection = env.proxmox {
            do {
                let plan = try await ProxmoxClient.with(connection) { client in
                    try await ProxmoxDeployer(client: client, input: input).plan()
                }
                return lines + plan.renderText().split(separator: "\n").dropFirst().map { "  " + $0 }
            } catch {
                lines.append("  cannot read the host: \(error)")
            }
        } else {
            lines.append("  (no token secret: showing the desired VMs, not a plan against the host)")
        }
        lines.append("  ensure    \(input.imageStorage):iso/\(input.image.filename)")
        lines.append("            (download-url from \(input.image.url) when missing)")
        for vm in input.vms {
            lines.append("  ensure    \(vm.name) VMID \(vm.vmid) \(vm.role): \(vm.cores) cores, \(vm.memoryMiB) MiB, \(vm.diskGiB) GiB on \(input.storage)")
            lines.append("            net0 virtio=\(vm.mac) on \(input.bridge); cloud-init ip=\(vm.address)/\(input.prefixLength),gw=\(input.gateway), dns \(input.nameservers.joined(separator: " "))")
        }
        lines.append("  always    cpu host, virtio-scsi-single, agent on, ballooning off, boot scsi0 then ide2")
        lines.append("  then      start stopped VMs; a running VM is never rebooted for a change")
        return lines
    }

    private func talosLines() -> [String] {
        let facts = env.facts
        let stage = TalosStage(env: env)
        let dir = env.talosDirectoryDisplay
        let relative = { (path: String) in path.replacingOccurrences(of: env.repoRoot + "/", with: "") }
        var lines = ["  Talos \(facts.talosVersion), Kubernetes \(facts.kubernetesVersion), schematic \(facts.image.schematicID)"]
        if let version = Doctor.version(in: facts.talosVersion) {
            lines.append("  check     talosctl is v\(version.0).\(version.1).x (talosctl version --client --short)")
        }
        let hasSecrets = FileManager.default.fileExists(atPath: env.secretsPath)
        lines.append("  secrets   \(dir)/secrets.yaml: " + (hasSecrets ? "present, reused"
            : "missing, generated unless the cluster already exists (then refused without --new-cluster)"))
        lines.append("  configs   talosctl " + TalosctlConfigSource.genConfigArguments(facts, secretsPath: "\(dir)/secrets.yaml", directory: dir).joined(separator: " "))
        lines.append("  endpoints talosctl config endpoint \(facts.controlPlanes.map(\.address).joined(separator: " "))")
        for node in facts.controlPlanes + facts.workers {
            lines.append("  apply     talosctl " + stage.applyArguments(node).map(relative).joined(separator: " "))
            lines.append("            (only while \(node.name) is in maintenance mode)")
        }
        if let first = env.firstControlPlane {
            lines.append("  bootstrap talosctl bootstrap --nodes \(first.address) --endpoints \(first.address)")
            lines.append("            (once: skipped when etcd runs; retried until etcd waits for it; AlreadyExists is success)")
            lines.append("  kubeconfig talosctl kubeconfig \(dir)/kubeconfig --nodes \(first.address)")
        }
        lines.append("  health    talosctl " + stage.healthArguments(waitTimeout: env.timing.healthTimeout).map(relative).joined(separator: " "))
        return lines
    }

    private func fluxLines() -> [String] {
        let facts = env.facts
        var lines = ["  Git \(facts.fluxRepository), branch \(facts.fluxBranch), path \(facts.fluxPath)",
                     "  refuse    when local HEAD differs from origin/\(facts.fluxBranch)",
                     "  ensure    namespace flux-system",
                     "  ensure    Secret flux-system/sops-age from the local age identity",
                     ]
        do {
            let instance = try FluxInstanceSource.find(repoRoot: env.repoRoot, fluxPath: facts.fluxPath)
            lines.append("  ensure    Secret \(instance.namespace)/\(instance.pullSecret) with the Git credentials (deploy key + known_hosts, or a token)")
            if let version = instance.operatorVersion {
                lines.append("  install   Flux operator \(version): kubectl apply --server-side -f \(FluxInstanceSource.installURL(version: version))")
            } else {
                lines.append("  install   Flux operator: NOT PINNED (add the annotation \(FluxInstanceSource.operatorVersionAnnotation) to \(instance.path))")
            }
            lines.append("  wait      crd/fluxinstances.fluxcd.controlplane.io established")
            lines.append("  apply     FluxInstance \(instance.namespace)/\(instance.name) from \(instance.path) (only this object)")
            lines.append("  wait      fluxinstance/\(instance.name) Ready; everything else arrives from Git")
        } catch {
            lines.append("  problem   \(error)")
        }
        return lines
    }

    private func checkLines() -> [String] {
        ["  report    VMs and pending changes, talosctl health, nodes Ready,",
         "            the revision Flux applied vs origin/\(env.facts.fluxBranch), Kustomizations and HelmReleases Ready,",
         "            workloads Flux does not own (same as `homeport status`)"]
    }
}
