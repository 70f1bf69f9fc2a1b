import Foundation
import HomeportCore
import Manifests

/// The values `homeport init` can set in a cluster definition. Nil (or empty) leaves the
/// template's value, except that addresses inside the template's node network follow a new
/// `nodeCIDR` (same host part), so a definition moved to another LAN stays consistent.
public struct ClusterDefinitionValues: Sendable, Hashable {
    public var name: String?
    public var domain: String?
    public var proxmoxEndpoint: String?
    public var nodeCIDR: String?
    public var gateway: String?
    public var controlPlaneVIP: String?
    public var loadBalancerPool: String?
    public var nfsServer: String?
    public var gitURL: String?
    public var branch: String?
    /// Addresses of the control-plane nodes, in the file's order.
    public var controlPlaneAddresses: [String] = []
    /// Addresses of the worker nodes, in the file's order.
    public var workerAddresses: [String] = []

    public init() {}

    /// The scalar each single value replaces, as a dotted path in the definition.
    var byPath: [String: String] {
        var values: [String: String] = [:]
        values["name"] = name
        values["domain"] = domain
        values["proxmox.endpoint"] = proxmoxEndpoint
        values["network.nodeCIDR"] = nodeCIDR
        values["network.gateway"] = gateway
        values["network.controlPlaneVIP"] = controlPlaneVIP
        values["network.loadBalancerPool"] = loadBalancerPool
        values["nfs.server"] = nfsServer
        values["flux.repository"] = gitURL
        values["flux.branch"] = branch
        return values.filter { !$0.value.isEmpty }
    }
}

/// Rewrites a cluster definition's text with new values, keeping its layout and comments:
/// only the edited scalars change. The caller validates the result.
public enum ClusterDefinitionEditor {
    /// The template's current values for the fields `init` asks about (for prompts).
    public static func currentValues(of text: String) -> [String: String] {
        guard let root = YAMLParser.parse(text).documents.first else { return [:] }
        var values: [String: String] = [:]
        for path in ClusterDefinitionValues.promptPaths {
            if let value = root[path: path]?.string { values[path] = value }
        }
        return values
    }

    /// The definition text with `values` applied.
    public static func apply(_ values: ClusterDefinitionValues, to text: String) throws -> String {
        let stream = YAMLParser.parse(text)
        if let error = stream.error {
            throw HomeportError("the template definition does not parse: \(error.message)", at: SourceLocation(path: "", line: error.mark?.line))
        }
        guard let root = stream.documents.first else { throw HomeportError("the template definition is empty") }
        let rebase = try addressRebase(from: root["network"]?["nodeCIDR"]?.string, to: values.nodeCIDR)
        var replacements: [(mark: Mark, scalar: YAMLScalar, value: String)] = []
        let explicit = values.byPath
        root.walk { path, node in
            guard let scalar = node.scalar, path.first != "nodes" else { return }
            let key = path.joined(separator: ".")
            if let value = explicit[key] {
                replacements.append((scalar.mark, scalar, value))
            } else if let rebased = rebase?(scalar.value), rebased != scalar.value {
                replacements.append((scalar.mark, scalar, rebased))
            }
        }
        try nodeReplacements(root, values, rebase: rebase).forEach { replacements.append($0) }
        var lines = try YAMLScalarEdit.apply(replacements.map { YAMLScalarEdit.Replacement($0.scalar, with: $0.value) },
                                             to: text, path: "the template definition")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let newName = explicit["name"], let oldName = root["name"]?.string, oldName != newName {
            // Comments naming the template's cluster now name the new one.
            lines = lines.map { $0.trimmingLeadingSpaces.hasPrefix("#") ? $0.replacingAll(oldName, with: newName) : $0 }
        }
        return lines.joined(separator: "\n")
    }

    private static func nodeReplacements(_ root: YAMLNode, _ values: ClusterDefinitionValues,
                                         rebase: ((String) -> String?)?) throws -> [(mark: Mark, scalar: YAMLScalar, value: String)] {
        let nodes = root["nodes"]?.sequence?.items ?? []
        var result: [(mark: Mark, scalar: YAMLScalar, value: String)] = []
        for (role, given) in [("controlplane", values.controlPlaneAddresses), ("worker", values.workerAddresses)] {
            let matching = nodes.filter { $0["role"]?.string == role }
            if given.count > matching.count {
                throw HomeportError.usage("\(given.count) \(role) address(es) given, but the template defines \(matching.count) \(role) node(s); add nodes to the definition by hand afterwards")
            }
            for (index, node) in matching.enumerated() {
                guard let scalar = node["address"]?.scalar else { continue }
                if index < given.count {
                    result.append((scalar.mark, scalar, given[index]))
                } else if let rebased = rebase?(scalar.value), rebased != scalar.value {
                    result.append((scalar.mark, scalar, rebased))
                }
            }
        }
        // Other addresses under nodes (none today) follow the network too.
        return result
    }

    /// A function moving every IPv4 address inside the old network to the same host part of
    /// the new one; nil when the network does not change.
    static func addressRebase(from old: String?, to new: String?) throws -> ((String) -> String?)? {
        guard let new, !new.isEmpty, let old, old != new else { return nil }
        guard case .success(let oldNetwork) = IPv4Network.parse(old) else { return nil }
        let newNetwork: IPv4Network
        switch IPv4Network.parse(new) {
        case .success(let network): newNetwork = network
        case .failure(let error): throw HomeportError.usage("--node-cidr \(new) \(error)")
        }
        let hostMask = newNetwork.prefixLength >= 32 ? UInt32(0) : UInt32.max >> UInt32(newNetwork.prefixLength)
        let oldHostMask = oldNetwork.prefixLength >= 32 ? UInt32(0) : UInt32.max >> UInt32(oldNetwork.prefixLength)
        return { text in
            var output = ""
            var changed = false
            // Addresses sit inside URLs and ranges, so scan tokens of digits and dots.
            var token = ""
            func flush() {
                if let address = IPv4Address(token), token.split(separator: ".").count == 4, oldNetwork.contains(address) {
                    let host = address.value & oldHostMask
                    if host & ~hostMask == 0 {
                        output += IPv4Address(newNetwork.address.value | host).description
                        changed = true
                        token = ""
                        return
                    }
                }
                output += token
                token = ""
            }
            for character in text {
                if character.isASCII, character.isNumber || character == "." {
                    token.append(character)
                } else {
                    flush()
                    output.append(character)
                }
            }
            flush()
            return changed ? output : nil
        }
    }

    /// A value as YAML text in the style the template used (see ``YAMLScalarEdit/yamlText(_:style:)``).
    static func yamlText(_ value: String, style: YAMLScalar.Style = .plain) -> String {
        YAMLScalarEdit.yamlText(value, style: style)
    }
}

extension ClusterDefinitionValues {
    /// The fields asked for on a terminal, in order.
    public static let promptPaths = [
        "name", "domain", "proxmox.endpoint", "network.nodeCIDR", "network.gateway", "network.controlPlaneVIP",
        "network.loadBalancerPool", "nfs.server", "flux.repository", "flux.branch",
    ]

    /// Sets the value of one of ``promptPaths``.
    public mutating func set(_ path: String, _ value: String) {
        switch path {
        case "name": name = value
        case "domain": domain = value
        case "proxmox.endpoint": proxmoxEndpoint = value
        case "network.nodeCIDR": nodeCIDR = value
        case "network.gateway": gateway = value
        case "network.controlPlaneVIP": controlPlaneVIP = value
        case "network.loadBalancerPool": loadBalancerPool = value
        case "nfs.server": nfsServer = value
        case "flux.repository": gitURL = value
        case "flux.branch": branch = value
        default: break
        }
    }

    /// The value of one of ``promptPaths`` when set.
    public func value(_ path: String) -> String? { byPath[path] }
}

private extension String {
    var trimmingLeadingSpaces: Substring { drop(while: { $0 == " " }) }
}
