import Foundation
import HomeportCore

/// The local, gitignored `.talos/NAME/` folder of a cluster and the repository inputs under
/// `cluster/talos/`. Secrets are written once and never replaced.
public struct TalosWorkspace: Sendable {
    public var repositoryRoot: String
    public var clusterName: String

    public init(repositoryRoot: String, clusterName: String) {
        self.repositoryRoot = repositoryRoot
        self.clusterName = clusterName
    }

    public var folder: String { repositoryRoot + "/.talos/" + clusterName }
    public var secretsPath: String { folder + "/secrets.yaml" }
    public var talosconfigPath: String { folder + "/talosconfig" }
    public var patchesFolder: String { repositoryRoot + "/cluster/talos/patches" }
    public var schematicPath: String { repositoryRoot + "/cluster/talos/schematic.yaml" }

    /// Generates and stores a new bundle; refuses when one exists, because new secrets for a
    /// running cluster lock its owner out.
    @discardableResult
    public func createSecrets(contract: TalosContract, generator: SecretsGenerator = SecretsGenerator()) throws -> SecretsBundle {
        try refuseExistingSecrets()
        let bundle = try generator.generate(contract: contract)
        try Self.writeNew(bundle.yaml, to: secretsPath)
        return bundle
    }

    /// Stores a bundle written by talosctl, as-is, after checking it reads as a bundle.
    @discardableResult
    public func importSecrets(from path: String) throws -> SecretsBundle {
        try refuseExistingSecrets()
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw HomeportError.usage("cannot read \(path)")
        }
        let bundle = try SecretsBundle.parse(text, path: path)
        try Self.writeNew(text, to: secretsPath)
        return bundle
    }

    /// The stored bundle; a missing one is a usage error that says how to make it.
    public func loadSecrets() throws -> SecretsBundle {
        guard FileManager.default.fileExists(atPath: secretsPath) else {
            throw HomeportError.usage("no secrets bundle at \(secretsPath); run `homeport talos secrets --cluster \(clusterName)` (or `--import FILE` for an existing cluster)")
        }
        return try SecretsBundle.load(path: secretsPath)
    }

    /// Secrets and rendered configs must never be committed: inside a git work tree that
    /// does not ignore `.talos/`, nothing is written.
    func refuseTrackedFolder() throws {
        if isIgnoredByGit() == false {
            throw HomeportError.usage(".talos/\(clusterName)/ is not ignored by git in \(repositoryRoot); add `.talos/` to .gitignore before writing secrets or machine configs")
        }
    }

    func refuseExistingSecrets() throws {
        try refuseTrackedFolder()
        if FileManager.default.fileExists(atPath: secretsPath) {
            throw HomeportError("\(secretsPath) already exists; refusing to overwrite the cluster's secrets (move it away yourself if you really mean to start over)")
        }
    }

    /// Writes a file that must not exist yet: a temporary file, then `link(2)`, which fails
    /// instead of replacing a file that appeared in the meantime. Mode 0600, folder 0700.
    static func writeNew(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = folder + "/.\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp"
        try AtomicFile.write(text, to: URL(fileURLWithPath: temporary), permissions: 0o600)
        defer { unlink(temporary) }
        if link(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            throw HomeportError("cannot create \(path): \(reason); nothing was overwritten")
        }
    }

    /// Reads `cluster/talos/patches/{all,controlplane,worker}/*.{yaml,yml,json}` in name order.
    public func loadPatches() throws -> PatchSet {
        func load(_ group: String) throws -> [ConfigPatch] {
            let folder = patchesFolder + "/" + group
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
            return try names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted().map { name in
                let path = folder + "/" + name
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw HomeportError("cannot read \(path)", at: SourceLocation(path: relative(path)))
                }
                return try ConfigPatch.parse(text, path: relative(path))
            }
        }
        return PatchSet(all: try load("all"), controlplane: try load("controlplane"), worker: try load("worker"))
    }

    /// `path` relative to the repository root, as findings and errors show it.
    public func relative(_ path: String) -> String {
        path.hasPrefix(repositoryRoot + "/") ? String(path.dropFirst(repositoryRoot.count + 1)) : path
    }

    /// Renders and writes `controlplane.yaml`, `worker.yaml`, one file per node and
    /// `talosconfig` (all 0600: they hold keys). Returns the written paths.
    @discardableResult
    public func writeConfigs(input: TalosGenerationInput, random: any RandomSource = SystemRandomSource(),
                             now: Date = Date()) throws -> [String] {
        try refuseTrackedFolder()
        let secrets = try loadSecrets()
        var files = try renderConfigs(input: input, secrets: secrets)
        let talosconfig = try Talosconfig.generate(context: input.clusterName, endpoints: input.talosEndpoints,
                                                   nodes: Array(input.talosEndpoints.prefix(1)), secrets: secrets,
                                                   random: random, now: now)
        files.append((name: "talosconfig", text: talosconfig.yaml))
        var written: [String] = []
        for (name, text) in files {
            let path = folder + "/" + name
            try AtomicFile.write(text, to: URL(fileURLWithPath: path), permissions: 0o600)
            written.append(path)
        }
        return written
    }

    /// The role configs (`controlplane.yaml`, `worker.yaml`) and one `<hostname>.yaml` per node,
    /// as file names and texts, without writing anything; they validate in full against the
    /// release's schema or nothing is returned. `writeConfigs` writes exactly these.
    public func renderConfigs(input: TalosGenerationInput, secrets: SecretsBundle? = nil) throws -> [(name: String, text: String)] {
        let renderer = ClusterConfigRenderer(input: input, secrets: try secrets ?? loadSecrets(), patches: try loadPatches())
        var rendered: [(String, [ConfigValue])] = MachineRole.allCases.map { ("\($0.rawValue).yaml", []) }
        for index in rendered.indices { rendered[index].1 = try renderer.roleDocuments(MachineRole.allCases[index]) }
        for node in input.nodes { rendered.append(("\(node.hostname).yaml", try renderer.nodeDocuments(node))) }
        // A config the node would refuse is not written: nothing half-valid reaches .talos/.
        let contract = try input.contract
        let invalid = try rendered.flatMap { name, documents in try renderer.schemaViolations(documents).map { "\(name): \($0)" } }
        if !invalid.isEmpty {
            throw HomeportError("the rendered configs do not validate against the Talos \(contract) schema; nothing was written:\n"
                                + invalid.map { "  " + $0 }.joined(separator: "\n")
                                + "\n`homeport check` names the patch line behind each field (talos.patch-schema)")
        }
        return rendered.map { (name: $0.0, text: GoYAMLEncoder.encode(documents: $0.1)) }
    }
}

extension TalosWorkspace {
    /// Whether git ignores the workspace folder: true or false inside a git work tree, nil
    /// when there is no repository or no git. Rendered configs hold CA keys, so the CLI warns
    /// loudly when this is false.
    public func isIgnoredByGit() -> Bool? {
        guard FileManager.default.fileExists(atPath: repositoryRoot + "/.git") else { return nil }
        let invocation = ProcessInvocation("git", ["-C", repositoryRoot, "check-ignore", "-q", ".talos/\(clusterName)/secrets.yaml"],
                                           output: .discard, error: .discard)
        guard let result = try? ProcessRunner().runBlocking(invocation) else { return nil }
        switch result.status {
        case 0: return true
        case 1: return false
        default: return nil
        }
    }
}
