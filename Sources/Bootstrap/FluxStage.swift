import Foundation
import HomeportCore
import Manifests

/// The FluxInstance from Git and the operator version pinned next to it.
public struct FluxInstanceSource: Sendable {
    /// The repo-relative file holding the FluxInstance.
    public var path: String
    /// The FluxInstance document alone (other documents of the file are left out).
    public var document: String
    public var name: String
    public var namespace: String
    /// From the annotation `homeport.dev/flux-operator-version`.
    public var operatorVersion: String?
    /// `spec.sync.pullSecret`: the Git credentials Secret the sync uses.
    public var pullSecret: String

    public static let operatorVersionAnnotation = "homeport.dev/flux-operator-version"

    /// Finds the FluxInstance under `fluxPath` of the repository.
    public static func find(repoRoot: String, fluxPath: String) throws -> FluxInstanceSource {
        let directory = "\(repoRoot)/\(fluxPath)"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        for file in files {
            guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) else { continue }
            for document in splitDocuments(text) {
                let stream = YAMLParser.parse(document)
                guard let root = stream.documents.first, root["kind"]?.string == "FluxInstance" else { continue }
                return FluxInstanceSource(
                    path: "\(fluxPath)/\(file)", document: document,
                    name: root[path: "metadata.name"]?.string ?? "flux",
                    namespace: root[path: "metadata.namespace"]?.string ?? "flux-system",
                    operatorVersion: root["metadata"]?["annotations"]?[operatorVersionAnnotation]?.string,
                    pullSecret: root[path: "spec.sync.pullSecret"]?.string ?? "flux-system")
            }
        }
        throw HomeportError("no FluxInstance found in \(fluxPath)/ (flux.path of the cluster definition)", kind: .usage)
    }

    /// Splits a multi-document YAML text at `---` lines.
    static func splitDocuments(_ text: String) -> [String] {
        var documents: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces) == "---" {
                documents.append(current.joined(separator: "\n"))
                current = []
            } else {
                current.append(line)
            }
        }
        documents.append(current.joined(separator: "\n"))
        return documents.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// The operator's install manifest for the pinned version.
    public static func installURL(version: String) -> String {
        let tag = version.hasPrefix("v") ? version : "v" + version
        return "https://github.com/controlplaneio-fluxcd/flux-operator/releases/download/\(tag)/install.yaml"
    }
}

/// Stage 3: Flux from Git, installed the documented way and nothing more.
struct FluxStage {
    let env: BootstrapEnvironment

    func kubectl(_ arguments: [String], input: Data? = nil) async throws -> CommandResult {
        let result = try await env.runner.run("kubectl", ["--kubeconfig", env.kubeconfigPath] + arguments, input: input)
        env.log.record(stage: "flux", message: "kubectl \(arguments.joined(separator: " "))", fields: ["status": String(result.status)])
        return result
    }

    func git(_ arguments: [String]) async throws -> CommandResult {
        try await env.runner.run("git", ["-C", env.repoRoot] + arguments)
    }

    /// Local HEAD must be what Flux will sync: `origin/BRANCH`.
    func checkRevision() async throws -> String {
        let branch = env.definition.flux.branch
        let fetch = try await git(["fetch", "--quiet", "origin", branch])
        if !fetch.succeeded { throw HomeportError("git fetch origin \(branch) failed: \(fetch.error.trimmingCharacters(in: .whitespacesAndNewlines))") }
        let local = try await git(["rev-parse", "HEAD"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let remote = try await git(["rev-parse", "origin/\(branch)"])
        let remoteHead = remote.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard remote.succeeded, !remoteHead.isEmpty else { throw HomeportError("origin/\(branch) does not exist: push the branch Flux will sync first") }
        guard local == remoteHead else {
            throw HomeportError("local HEAD \(local.prefix(12)) differs from origin/\(branch) \(remoteHead.prefix(12)); Flux syncs the remote, so push (or pull) first")
        }
        return remoteHead
    }

    func run() async throws {
        let revision = try await checkRevision()
        env.log.event(stage: "flux", "HEAD matches origin/\(env.definition.flux.branch) (\(revision.prefix(12)))")
        let instance = try FluxInstanceSource.find(repoRoot: env.repoRoot, fluxPath: env.definition.flux.path)
        guard let operatorVersion = instance.operatorVersion else {
            throw HomeportError("\(instance.path): the FluxInstance has no annotation \(FluxInstanceSource.operatorVersionAnnotation); pin the Flux operator version there", kind: .usage)
        }
        let namespace = instance.namespace
        if try await kubectl(["get", "namespace", namespace]).succeeded {
            env.log.event(stage: "flux", "namespace \(namespace) exists")
        } else {
            try check(await kubectl(["create", "namespace", namespace]), "create namespace \(namespace)")
            env.log.event(stage: "flux", "created namespace \(namespace)")
        }
        try await ensureSOPSSecret(namespace: namespace)
        try await ensureGitSecret(namespace: namespace, name: instance.pullSecret)
        let installed = try await kubectl(["-n", namespace, "get", "deployment", "flux-operator", "-o",
                                           "jsonpath={.metadata.labels.app\\.kubernetes\\.io/version}"])
        let wanted = operatorVersion.hasPrefix("v") ? operatorVersion : "v" + operatorVersion
        if installed.succeeded && ["v" + installed.output.trimmingCharacters(in: .whitespaces), installed.output.trimmingCharacters(in: .whitespaces)].contains(wanted) {
            env.log.event(stage: "flux", "Flux operator \(wanted) is installed")
        } else {
            try check(await kubectl(["apply", "--server-side", "-f", FluxInstanceSource.installURL(version: wanted)]), "install the Flux operator")
            env.log.event(stage: "flux", "installed the Flux operator \(wanted)")
        }
        try check(await kubectl(["wait", "--for=condition=established", "--timeout=\(env.timing.waitTimeout)",
                                 "crd/fluxinstances.fluxcd.controlplane.io"]), "wait for the FluxInstance CRD")
        try check(await kubectl(["apply", "--server-side", "-f", "-"], input: Data(instance.document.utf8)), "apply the FluxInstance")
        env.log.event(stage: "flux", "applied FluxInstance \(instance.name) from \(instance.path)")
        try check(await kubectl(["-n", namespace, "wait", "fluxinstance/\(instance.name)", "--for=condition=Ready",
                                 "--timeout=\(env.timing.waitTimeout)"]), "wait for the FluxInstance to be Ready")
        env.log.event(stage: "flux", "FluxInstance \(instance.name) is Ready; everything else arrives from Git")
    }

    /// The `sops-age` Secret from the local age identity (the file path is an argument, the key is not).
    func ensureSOPSSecret(namespace: String) async throws {
        guard let keyFile = env.ageKeyFile, FileManager.default.isReadableFile(atPath: keyFile) else {
            throw HomeportError("no age identity found for the sops-age Secret: set SOPS_AGE_KEY_FILE or create ~/.config/sops/age/keys.txt (`homeport secrets keygen`)", kind: .usage)
        }
        if let key = try? String(contentsOfFile: keyFile, encoding: .utf8) {
            for line in key.split(separator: "\n") where line.hasPrefix("AGE-SECRET-KEY-") { env.log.addSecret(String(line)) }
        }
        let manifest = try await kubectl(["-n", namespace, "create", "secret", "generic", "sops-age",
                                          "--from-file=age.agekey=\(keyFile)", "--dry-run=client", "-o", "yaml"])
        try check(manifest, "render the sops-age Secret")
        try check(await kubectl(["apply", "--server-side", "-f", "-"], input: Data(manifest.output.utf8)), "apply the sops-age Secret")
        env.log.event(stage: "flux", "sops-age Secret is in place")
    }

    /// The Git credentials Secret named in the FluxInstance's `spec.sync.pullSecret`.
    func ensureGitSecret(namespace: String, name: String) async throws {
        guard let credentials = env.gitCredentials else {
            throw HomeportError("no Git credentials for Flux: set HOMEPORT_DEPLOY_KEY (an SSH deploy key; known_hosts from HOMEPORT_KNOWN_HOSTS or ~/.ssh/known_hosts) or FLUX_GIT_TOKEN", kind: .usage)
        }
        var arguments = ["-n", namespace, "create", "secret", "generic", name]
        var temporary: URL?
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        switch credentials {
        case .deployKey(let key, let knownHosts):
            arguments += ["--from-file=identity=\(key)", "--from-file=known_hosts=\(knownHosts)"]
        case .token(let username, let token):
            env.log.addSecret(token)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-git-\(UUID().uuidString)")
            try AtomicFile.write(token, to: file, permissions: 0o600)
            temporary = file
            arguments += ["--from-literal=username=\(username)", "--from-file=password=\(file.path)"]
        }
        let manifest = try await kubectl(arguments + ["--dry-run=client", "-o", "yaml"])
        try check(manifest, "render the Git credentials Secret")
        try check(await kubectl(["apply", "--server-side", "-f", "-"], input: Data(manifest.output.utf8)), "apply the Git credentials Secret")
        env.log.event(stage: "flux", "Git credentials Secret \(name) is in place")
    }

    func check(_ result: CommandResult, _ what: String) throws {
        guard result.succeeded else {
            throw HomeportError("kubectl failed to \(what): \(env.log.redact(result.error.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
    }
}
