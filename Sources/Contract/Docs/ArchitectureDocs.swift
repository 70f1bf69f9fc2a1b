import ClusterSpec
import Manifests

/// The generated parts of `docs/architecture.md`, drawn from the repository itself so the
/// document cannot drift from reality (contract section 9): the VM table and topology from
/// the cluster definition, the Flux dependency graph and the app table from the manifests.
public enum ArchitectureDocs {
    public static let path = "docs/architecture.md"

    /// The body of every section homeport knows, by name. Sections that need a cluster
    /// definition are left out when there is no valid one.
    public static func sections(_ context: RuleContext) -> [String: String] {
        var sections: [String: String] = [
            "flux-graph": fluxGraph(context.snapshot),
        ]
        let definition = context.clusters.sorted { $0.path < $1.path }.lazy.compactMap { $0.isValid ? $0.definition : nil }.first
        if let definition {
            sections["vms"] = vmTable(definition)
            sections["topology"] = topology(definition)
            sections["apps"] = appTable(context.snapshot, domain: definition.domain)
        }
        return sections
    }

    /// The document with its sections regenerated, or nil when it does not exist.
    public static func regenerate(_ context: RuleContext) -> String? {
        guard let text = context.snapshot.file(path)?.text else { return nil }
        return GeneratedSections(text: text).replacing(sections(context))
    }

    /// Sections whose committed body differs from what the repository generates.
    public static func staleSections(_ context: RuleContext) -> [GeneratedSections.Section] {
        guard let text = context.snapshot.file(path)?.text else { return [] }
        let generated = sections(context)
        return GeneratedSections(text: text).sections.filter { section in
            generated[section.name].map { $0 != section.content } ?? false
        }
    }

    static func vmTable(_ definition: ClusterDefinition) -> String {
        var text = "| VM | VMID | role | address | vCPU | RAM | disk |\n|---|---|---|---|---|---|---|\n"
        for node in definition.nodes {
            let role = node.role == .controlPlane
                ? (definition.talos.allowSchedulingOnControlPlanes ? "control plane, also runs workloads" : "control plane")
                : "worker"
            text += "| `\(node.name)` | \(node.vmid) | \(role) | \(node.address) | \(node.cores) | \(memory(node.memoryMiB)) | \(node.diskGiB) GiB |\n"
        }
        return text
    }

    static func topology(_ definition: ClusterDefinition) -> String {
        let network = definition.network
        let host = hostName(definition.proxmox.endpoint)
        var lines = [
            "```mermaid",
            "flowchart LR",
            "  subgraph LAN[\"LAN \(network.nodeCIDR)\"]",
            "    router[\"Router / gateway<br/>\(network.gateway)\"]",
        ]
        if let nfs = definition.nfs {
            lines.append("    nas[\"NAS<br/>\(nfs.server)<br/>NFS \(nfs.path)\"]")
        }
        lines.append("    subgraph host[\"Proxmox VE node \(definition.proxmox.node)<br/>\(host)\"]")
        for (index, node) in definition.nodes.enumerated() {
            let role = node.role == .controlPlane
                ? (definition.talos.allowSchedulingOnControlPlanes ? "control plane + workloads" : "control plane")
                : "worker"
            lines.append("      n\(index)[\"\(node.name)<br/>\(role)<br/>\(node.address)\"]")
        }
        lines.append("    end")
        lines.append("    vip([\"API VIP<br/>\(network.controlPlaneVIP)\"])")
        if let pool = network.loadBalancerPool {
            lines.append("    lb([\"LoadBalancer pool<br/>\(pool)\"])")
        }
        lines.append("  end")
        lines.append("  router --- host")
        for (index, node) in definition.nodes.enumerated() {
            if node.role == .controlPlane { lines.append("  n\(index) --- vip") }
            if network.loadBalancerPool != nil { lines.append("  n\(index) --- lb") }
            if definition.nfs != nil { lines.append("  n\(index) -- NFS --> nas") }
        }
        lines.append("```")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Flux Kustomizations under cluster/kubernetes and their `dependsOn` edges.
    static func fluxGraph(_ snapshot: RepoSnapshot) -> String {
        var names: Set<String> = []
        var edges: Set<String> = []
        for file in snapshot.files(under: "cluster/kubernetes") where file.isYAML {
            for document in file.documents where document.kind == "Kustomization"
                && document.apiVersion?.hasPrefix("kustomize.toolkit.fluxcd.io/") == true {
                guard let name = document.name else { continue }
                names.insert(name)
                for dependency in document.root[path: "spec.dependsOn"]?.sequence?.items ?? [] {
                    if let target = dependency["name"]?.string { edges.insert("  \(target) --> \(name)") }
                }
            }
        }
        let connected = Set(edges.flatMap { $0.split(separator: " ").filter { $0 != "-->" }.map(String.init) })
        let alone = names.subtracting(connected).sorted().map { "  \($0)" }
        return (["```mermaid", "flowchart LR"] + edges.sorted() + alone + ["```"]).joined(separator: "\n") + "\n"
    }

    /// One row per app folder: its namespace and the hostnames its HTTPRoutes serve.
    static func appTable(_ snapshot: RepoSnapshot, domain: String) -> String {
        var text = "| app | namespace | hostnames |\n|---|---|---|\n"
        for app in snapshot.subdirectories(of: "cluster/kubernetes/apps") {
            let documents = snapshot.files(under: "cluster/kubernetes/apps/\(app)").filter(\.isYAML).flatMap(\.documents)
            let namespace = documents.first { $0.kind == "Namespace" }?.name ?? app
            let hostnames = documents.filter { $0.kind == "HTTPRoute" }
                .flatMap { $0.root[path: "spec.hostnames"]?.sequence?.items ?? [] }
                .compactMap(\.string)
                .map { $0.replacingOccurrences(of: "${CLUSTER_DOMAIN}", with: domain) }
            let shown = Array(Set(hostnames)).sorted().map { "`\($0)`" }.joined(separator: ", ")
            text += "| \(app) | `\(namespace)` | \(shown.isEmpty ? "none" : shown) |\n"
        }
        return text
    }

    private static func memory(_ mebibytes: Int) -> String {
        mebibytes % 1024 == 0 ? "\(mebibytes / 1024) GiB" : "\(mebibytes) MiB"
    }

    private static func hostName(_ endpoint: String) -> String {
        var rest = Substring(endpoint)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        return String(rest.prefix { $0 != ":" && $0 != "/" })
    }
}
