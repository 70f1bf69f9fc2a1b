import Foundation
import HomeportCore

/// Rewrites a patch written for the v1alpha1 layout into the documents of a newer release
/// (`homeport talos migrate`): each field Talos moved goes to its new document, renamed or
/// inverted where the new document says it differently (`cluster.proxy.disabled: false` →
/// `KubeProxyConfig.enabled: true`). Fields without a known new home stay where they are, so
/// `homeport check` (talos.patch-schema) still names them.
public enum PatchMigration {
    /// One moved field.
    struct Move {
        var from: [String]
        var kind: String
        var name: String?
        var to: [String]
        var transform: @Sendable (ConfigValue) -> ConfigValue? = { $0 }
        /// The first release without the field in v1alpha1.
        var since: TalosContract
    }

    static let negate: @Sendable (ConfigValue) -> ConfigValue? = { value in
        if case .bool(let flag) = value { return .bool(!flag) }
        return value
    }

    static let moves: [Move] = {
        let v112 = TalosContract(1, 12), v114 = TalosContract(1, 14)
        var moves: [Move] = [
            Move(from: ["machine", "time", "disabled"], kind: "TimeSyncConfig", to: ["enabled"], transform: negate, since: v112),
            Move(from: ["machine", "time", "servers"], kind: "TimeSyncConfig", to: ["ntp", "servers"], since: v112),
            Move(from: ["machine", "time", "bootTimeout"], kind: "TimeSyncConfig", to: ["bootTimeout"], since: v112),
            Move(from: ["machine", "env"], kind: "EnvironmentConfig", to: ["variables"], since: TalosContract(1, 13)),
            Move(from: ["machine", "kubelet", "nodeIP"], kind: "KubeNodeConfig", to: ["nodeIP"], since: v114),
            Move(from: ["machine", "kubelet", "registerWithFQDN"], kind: "KubeNodeConfig", to: ["registerWithFQDN"], since: v114),
            Move(from: ["machine", "kubelet", "skipNodeRegistration"], kind: "KubeNodeConfig", to: ["skipNodeRegistration"], since: v114),
            Move(from: ["machine", "kubelet", "extraConfig"], kind: "KubeletConfig", to: ["config"], since: v114),
            Move(from: ["machine", "nodeLabels"], kind: "KubeNodeConfig", to: ["labels"], since: v114),
            Move(from: ["machine", "nodeAnnotations"], kind: "KubeNodeConfig", to: ["annotations"], since: v114),
            Move(from: ["machine", "nodeTaints"], kind: "KubeNodeConfig", to: ["taints"], since: v114),
            Move(from: ["machine", "features", "kubernetesTalosAPIAccess", "allowedRoles"], kind: "KubeTalosAPIAccessConfig", to: ["allowedRoles"], since: v114),
            Move(from: ["machine", "features", "kubernetesTalosAPIAccess", "allowedKubernetesNamespaces"], kind: "KubeTalosAPIAccessConfig",
                 to: ["allowedKubernetesNamespaces"], since: v114),
            Move(from: ["machine", "features", "kubePrism", "port"], kind: "KubePrismConfig", to: ["port"], since: v114),
            Move(from: ["machine", "features", "hostDNS"], kind: "ResolverConfig", to: ["hostDNS"], since: v114),
            Move(from: ["machine", "sysctls"], kind: "SysctlConfig", to: ["params"], since: v114),
            Move(from: ["machine", "install", "disk"], kind: "UnattendedInstallConfig", to: ["provisioning", "diskSelector", "match"],
                 transform: { $0.stringValue.map { .string(MachineConfigGenerator.diskMatch($0)) } }, since: v114),
            Move(from: ["machine", "install", "image"], kind: "UnattendedInstallConfig", to: ["installer", "image"], since: v114),
            Move(from: ["machine", "install", "wipe"], kind: "UnattendedInstallConfig", to: ["provisioning", "wipe"], since: v114),
            Move(from: ["cluster", "proxy", "disabled"], kind: "KubeProxyConfig", to: ["enabled"], transform: negate, since: v114),
            Move(from: ["cluster", "coreDNS", "disabled"], kind: "KubeCoreDNSConfig", to: ["enabled"], transform: negate, since: v114),
            Move(from: ["cluster", "apiServer", "certSANs"], kind: "KubeAPIServerConfig", to: ["certExtraSANs"], since: v114),
            Move(from: ["cluster", "scheduler", "config"], kind: "KubeSchedulerConfig", to: ["config"], since: v114),
        ]
        // Same field name in the new document.
        let sameName: [([String], String, [String])] = [
            (["machine", "kubelet"], "KubeletConfig", ["image", "extraArgs", "clusterDNS", "defaultRuntimeSeccompProfileEnabled"]),
            (["cluster", "network"], "KubeNetworkConfig", ["dnsDomain", "podSubnets", "serviceSubnets"]),
            (["cluster", "proxy"], "KubeProxyConfig", ["image", "mode", "extraArgs"]),
            (["cluster", "apiServer"], "KubeAPIServerConfig", ["image", "extraArgs", "env", "resources"]),
            (["cluster", "controllerManager"], "KubeControllerManagerConfig", ["image", "extraArgs", "env", "resources"]),
            (["cluster", "scheduler"], "KubeSchedulerConfig", ["image", "extraArgs", "env", "resources"]),
            (["cluster", "coreDNS"], "KubeCoreDNSConfig", ["image"]),
        ]
        for (parent, kind, fields) in sameName {
            moves += fields.map { Move(from: parent + [$0], kind: kind, to: [$0], since: v114) }
        }
        return moves
    }()

    /// Settings v1.14 writes by default; a patch that only restates them loses them.
    static let defaultsSince114: [([String], ConfigValue)] = [
        (["cluster", "discovery", "enabled"], .bool(true)),
        (["cluster", "discovery", "registries", "service", "disabled"], .bool(false)),
        (["cluster", "discovery", "registries", "kubernetes", "disabled"], .bool(true)),
        (["machine", "features", "kubernetesTalosAPIAccess", "enabled"], .bool(true)),
        (["machine", "features", "kubePrism", "enabled"], .bool(true)),
    ]

    /// The migrated documents and a note per field that moved or was dropped.
    public static func migrate(_ documents: [ConfigValue], to contract: TalosContract) -> (documents: [ConfigValue], notes: [String]) {
        var output: [ConfigValue] = []
        var notes: [String] = []
        var created: [ConfigValue] = []
        for document in documents {
            guard document["kind"] == nil else {
                output.append(document)
                continue
            }
            var legacy = document
            for move in moves where contract >= move.since {
                guard let value = legacy.value(at: move.from) else { continue }
                legacy.removeValue(at: move.from)
                guard let moved = move.transform(value) else { continue }
                let name: ConfigValue? = move.name.map { .string($0) }
                var index = created.firstIndex { $0["kind"] == .string(move.kind) && $0["name"] == name }
                if index == nil {
                    created.append(MachineConfigGenerator.document(move.kind, [("name", name)]))
                    index = created.count - 1
                }
                created[index!].set(path: move.to, moved)
                notes.append("\(move.from.joined(separator: ".")) → \(move.kind).\(move.to.joined(separator: "."))")
            }
            if contract >= TalosContract(1, 14) {
                for (path, value) in defaultsSince114 where legacy.value(at: path) == value {
                    legacy.removeValue(at: path)
                    notes.append("\(path.joined(separator: ".")): \(GoYAMLEncoder.inline(value)) is the Talos \(contract) default; dropped")
                }
            }
            legacy.pruneEmptyMappings()
            if legacy.entries?.isEmpty == false { output.append(legacy) }
        }
        return (output + created, notes)
    }
}

extension ConfigValue {
    func value(at path: [String]) -> ConfigValue? {
        path.reduce(Optional(self)) { node, key in node?[key] }
    }

    mutating func removeValue(at path: [String]) {
        guard let first = path.first else { return }
        if path.count == 1 {
            remove(first)
        } else if var child = self[first] {
            child.removeValue(at: Array(path.dropFirst()))
            set(first, child)
        }
    }

    /// Drops mappings left empty by moved fields (`machine: {kubelet: {}}` → nothing); an
    /// empty mapping in a strategic-merge patch changes nothing anyway.
    mutating func pruneEmptyMappings() {
        guard case .mapping(let entries) = self else { return }
        self = .mapping(entries.compactMap { entry in
            var value = entry.value
            guard case .mapping = value else { return entry }
            value.pruneEmptyMappings()
            return value.entries?.isEmpty == true ? nil : (key: entry.key, value: value)
        })
    }
}

/// One patch file `homeport talos migrate` rewrites.
public struct PatchRewrite: Sendable {
    /// Relative to the repository root.
    public var path: String
    public var text: String
    /// `machine.kubelet.extraArgs → KubeletConfig.extraArgs`, one per moved field.
    public var notes: [String]
}

extension TalosWorkspace {
    /// The patch files whose fields `contract` moved, rewritten into its documents; files with
    /// nothing to move are left out. RFC 6902 patches are not rewritten (they cannot target
    /// multi-document configs anyway). The file's leading comment is kept.
    public func migratedPatches(to contract: TalosContract) throws -> [PatchRewrite] {
        var rewrites: [PatchRewrite] = []
        for group in ["all", "controlplane", "worker"] {
            let folder = patchesFolder + "/" + group
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = folder + "/" + name
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw HomeportError("cannot read \(path)", at: SourceLocation(path: relative(path)))
                }
                let patch = try ConfigPatch.parse(text, path: relative(path))
                guard case .strategicMerge(let documents) = patch.body else { continue }
                let (migrated, notes) = PatchMigration.migrate(documents, to: contract)
                guard !notes.isEmpty else { continue }
                let header = text.split(separator: "\n", omittingEmptySubsequences: false).prefix { $0.hasPrefix("#") }
                let comment = header.isEmpty ? "" : header.joined(separator: "\n") + "\n"
                let body = migrated.isEmpty ? "{}\n" : GoYAMLEncoder.encode(documents: migrated)
                rewrites.append(PatchRewrite(path: relative(path),
                                             text: comment + "# Rewritten for Talos \(contract) by `homeport talos migrate`.\n" + body,
                                             notes: notes))
            }
        }
        return rewrites
    }
}
