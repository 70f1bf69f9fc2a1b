import Foundation
import HomeportCore
import Manifests

/// Finds and reads `config/clusters/NAME.yaml` into ``ClusterFacts``.
public enum ClusterFactsLoader {
    /// The definition file for `--cluster NAME`, or the only one when no name is given.
    public static func definitionPath(repoRoot: String, cluster: String?) throws -> String {
        let folder = "\(repoRoot)/config/clusters"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        if let cluster {
            guard names.contains(cluster) else {
                throw HomeportError.usage("no cluster definition config/clusters/\(cluster).yaml (have: \(names.joined(separator: ", ")))")
            }
            return "\(folder)/\(cluster).yaml"
        }
        guard names.count == 1, let only = names.first else {
            throw HomeportError.usage(names.isEmpty ? "no cluster definition in config/clusters/ (run `homeport init`)"
                : "several cluster definitions (\(names.joined(separator: ", "))): choose one with --cluster")
        }
        return "\(folder)/\(only).yaml"
    }

    /// Reads the facts from a definition file; errors name the file and line.
    public static func load(path: String, displayPath: String) throws -> ClusterFacts {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw HomeportError.usage("cannot read \(displayPath)") }
        let stream = YAMLParser.parse(text)
        if let error = stream.error {
            throw HomeportError.usage(error.message, at: SourceLocation(path: displayPath, line: error.mark?.line, column: error.mark?.column))
        }
        guard let root = stream.documents.first else { throw HomeportError.usage("\(displayPath) is empty") }
        func string(_ key: String) throws -> String {
            guard let value = root[path: key]?.string, !value.isEmpty else {
                throw HomeportError.usage("missing \(key)", at: SourceLocation(path: displayPath, line: root.mark.line))
            }
            return value
        }
        func optional(_ key: String) -> String? {
            root[path: key]?.string.flatMap { $0.isEmpty ? nil : $0 }
        }
        func list(_ key: String) -> [String] { root[path: key]?.sequence?.items.compactMap(\.string) ?? [] }
        let cidr = try string("network.nodeCIDR")
        guard let prefix = cidr.split(separator: "/").last.flatMap({ Int($0) }), (8...32).contains(prefix) else {
            throw HomeportError.usage("network.nodeCIDR must look like 192.168.1.0/24", at: SourceLocation(path: displayPath, line: root[path: "network.nodeCIDR"]?.mark.line))
        }
        var nodes: [ClusterFacts.Node] = []
        for item in root["nodes"]?.sequence?.items ?? [] {
            let line = item.mark.line
            func field(_ key: String) throws -> String {
                guard let value = item[key]?.string else {
                    throw HomeportError.usage("a node has no \(key)", at: SourceLocation(path: displayPath, line: line))
                }
                return value
            }
            func number(_ key: String) throws -> Int {
                guard let value = item[key]?.int else {
                    throw HomeportError.usage("node field \(key) must be an integer", at: SourceLocation(path: displayPath, line: item[key]?.mark.line ?? line))
                }
                return value
            }
            nodes.append(ClusterFacts.Node(name: try field("name"), role: try field("role"), address: try field("address"),
                                           vmid: try number("vmid"), cores: try number("cores"), memoryMiB: try number("memoryMiB"),
                                           diskGiB: try number("diskGiB"), mac: try field("mac")))
        }
        return ClusterFacts(
            name: try string("name"),
            proxmox: .init(endpoint: try string("proxmox.endpoint"), node: try string("proxmox.node"), tokenID: try string("proxmox.tokenID"),
                           tokenSecretFile: optional("proxmox.tokenSecretFile"), caFile: optional("proxmox.caFile"),
                           fingerprint: optional("proxmox.fingerprint"), storage: try string("proxmox.storage"),
                           imageStorage: try string("proxmox.imageStorage"), bridge: try string("proxmox.bridge")),
            prefixLength: prefix, gateway: try string("network.gateway"), dnsServers: list("network.dnsServers"),
            controlPlaneVIP: try string("network.controlPlaneVIP"), talosVersion: try string("talos.version"),
            kubernetesVersion: try string("talos.kubernetesVersion"), extensions: list("talos.extensions"),
            installDisk: optional("talos.installDisk") ?? "/dev/sda", nodes: nodes,
            fluxRepository: try string("flux.repository"), fluxBranch: optional("flux.branch") ?? "main",
            fluxPath: optional("flux.path") ?? "cluster/kubernetes/flux")
    }
}
