import ClusterSpec
import Foundation
import Proxmox
import Talos

extension Bootstrapper {
    /// What `up` would do, stage by stage, without changing anything. With a Proxmox
    /// connection the VM stage shows the live plan (read-only requests); without, the
    /// desired VMs.
    public func dryRun(_ options: BootstrapOptions) async -> String {
        let stages = options.stages
        var out = ["homeport up --dry-run for cluster \(env.definition.name): nothing is changed.", ""]
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
        let definition = env.definition
        let input: ProxmoxPlanInput
        do { input = try definition.proxmoxPlanInput() } catch { return ["  problem   \(error)"] }
        var lines = ["  Proxmox VE \(definition.proxmox.endpoint), node \(definition.proxmox.node), tags homeport;\(definition.name)"]
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
        let definition = env.definition
        let input = definition.talosInput
        let stage = TalosStage(env: env)
        let dir = env.talosDirectoryDisplay
        let relative = { (path: String) in path.replacingOccurrences(of: env.repoRoot + "/", with: "") }
        let talosVersion = definition.talos.version.description
        var lines: [String] = []
        do {
            let schematic = try input.schematic
            lines.append("  Talos \(talosVersion), Kubernetes \(definition.talos.kubernetesVersion), schematic \(schematic.id)")
            lines.append("  installer \(schematic.installerImage(talosVersion: talosVersion))")
        } catch {
            return ["  problem   \(error)"]
        }
        if let version = Doctor.version(in: talosVersion) {
            lines.append("  check     talosctl is v\(version.0).\(version.1).x (talosctl version --client --short)")
        }
        let hasSecrets = FileManager.default.fileExists(atPath: env.secretsPath)
        lines.append("  secrets   \(dir)/secrets.yaml: " + (hasSecrets ? "present, reused"
            : "missing, generated natively unless the cluster already exists (then refused without --new-cluster)"))
        lines.append("  render    as `homeport talos gen`: the definition, cluster/talos/patches, one config per node, talosconfig")
        do {
            let patches = try env.talosWorkspace.loadPatches()
            let names = (patches.all + patches.controlplane + patches.worker).map(\.path)
            lines.append("            patches: " + (names.isEmpty ? "none" : names.joined(separator: ", ")))
        } catch {
            lines.append("  problem   \(error)")
        }
        for node in definition.controlPlanes + definition.workers {
            lines.append("  apply     talosctl " + stage.applyArguments(node).map(relative).joined(separator: " "))
            lines.append("            (only while \(node.name) is in maintenance mode; later changes: homeport talos apply)")
        }
        if let first = env.firstControlPlane {
            lines.append("  bootstrap talosctl bootstrap --nodes \(first.addressText) --endpoints \(first.addressText)")
            lines.append("            (once: skipped when etcd runs; retried until etcd waits for it; AlreadyExists is success)")
            lines.append("  kubeconfig talosctl kubeconfig \(dir)/kubeconfig --nodes \(first.addressText)")
        }
        lines.append("  health    talosctl " + stage.healthArguments(waitTimeout: env.timing.healthTimeout).map(relative).joined(separator: " "))
        return lines
    }

    private func fluxLines() -> [String] {
        let flux = env.definition.flux
        var lines = ["  Git \(flux.repository), branch \(flux.branch), path \(flux.path)",
                     "  refuse    when local HEAD differs from origin/\(flux.branch)",
                     "  ensure    namespace flux-system",
                     "  ensure    Secret flux-system/sops-age from the local age identity",
                     ]
        do {
            let instance = try FluxInstanceSource.find(repoRoot: env.repoRoot, fluxPath: flux.path)
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
         "            the revision Flux applied vs origin/\(env.definition.flux.branch), Kustomizations and HelmReleases Ready,",
         "            workloads Flux does not own (same as `homeport status`)"]
    }
}
