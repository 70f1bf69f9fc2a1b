import ArgumentParser
import ClusterSpec
import Contract
import Foundation
import HomeportCore
import SOPSCrypto

/// `homeport init`: turns a fork of the template into the user's own homelab. The steps live
/// in the libraries (the definition and its derived files in ClusterSpec's `ClusterInit`, keys
/// and secret regeneration in SOPSCrypto, docs in Contract); this command orders them and
/// refuses to run twice.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Make this fork your homelab: cluster definition, age key, .sops.yaml recipient, fresh secrets.",
        discussion: """
        Values not given as flags are asked for on a terminal; otherwise (or with --yes) the \
        template's values are kept. Addresses in the template's node network follow --node-cidr. \
        Secrets encrypted to a recipient other than yours get fresh random values; set real \
        credentials afterwards with `homeport secrets edit FILE`.
        """
    )

    @OptionGroup var repoOptions: RepoOptions

    @Option(help: "The cluster's name (config/clusters/NAME.yaml).") var cluster: String?
    @Option(help: "The DNS domain of the homelab.") var domain: String?
    @Option(help: "The Proxmox API endpoint, e.g. https://192.168.1.10:8006.") var proxmoxEndpoint: String?
    @Option(help: "The LAN the nodes live in, e.g. 192.168.1.0/24.") var nodeCidr: String?
    @Option(help: "The LAN gateway.") var gateway: String?
    @Option(help: "The Kubernetes API virtual IP.") var vip: String?
    @Option(help: "The LoadBalancer address range, e.g. 192.168.1.220-192.168.1.229.") var loadBalancerPool: String?
    @Option(help: "The NFS server (the NAS).") var nfsServer: String?
    @Option(name: .customLong("control-plane"), help: "A control-plane node address (repeat, in the definition's order).")
    var controlPlane: [String] = []
    @Option(help: "A worker node address (repeat, in the definition's order).") var worker: [String] = []
    @Option(help: "The Git URL Flux syncs from.") var gitUrl: String?
    @Option(help: "The Git branch Flux syncs.") var branch: String?
    @Flag(name: .shortAndLong, help: "Do not ask; keep the template's value for anything not given.") var yes = false
    @Flag(help: "Run even though this repository already looks initialised.") var force = false

    func run() throws {
        let root = repoOptions.root
        let workspace = ClusterWorkspace(root: root)
        var values = ClusterDefinitionValues()
        values.name = cluster
        values.domain = domain
        values.proxmoxEndpoint = proxmoxEndpoint
        values.nodeCIDR = nodeCidr
        values.gateway = gateway
        values.controlPlaneVIP = vip
        values.loadBalancerPool = loadBalancerPool
        values.nfsServer = nfsServer
        values.gitURL = gitUrl
        values.branch = branch
        values.controlPlaneAddresses = controlPlane
        values.workerAddresses = worker

        let template = try ClusterInit.template(workspace, name: cluster)
        if !yes, isatty(STDIN_FILENO) == 1 {
            values = ask(values, defaults: ClusterDefinitionEditor.currentValues(of: template.text))
        }
        let plan = try ClusterInit.plan(values, template: template, in: workspace)

        let keyPath = WorkstationAgeKey.path()
        let existingRecipient = FileManager.default.fileExists(atPath: keyPath) ? try WorkstationAgeKey.ensure(at: keyPath).recipient : nil
        let sopsText = try readText(root, ".sops.yaml")
        if !force, let existingRecipient, SOPSRecipientSwitch.recipients(in: sopsText).contains(existingRecipient) {
            throw HomeportError.usage(".sops.yaml already names your age key (\(existingRecipient)); this repository is initialised. Run with --force to run init again (secrets you can decrypt are kept)")
        }

        // Key first: everything after it is encrypted to it.
        let key = try WorkstationAgeKey.ensure(at: keyPath)
        Output.print(key.created ? "created the age key \(keyPath) (back it up; it decrypts every secret)\n"
                                 : "using the age key in \(keyPath)\n")
        Output.print("recipient: \(key.recipient)\n")

        // The definition and everything derived from it (`homeport cluster sync`).
        Output.print(try ClusterInit.write(plan, in: workspace))

        let switched = SOPSRecipientSwitch.replacing(in: sopsText, with: key.recipient)
        if switched != sopsText {
            try AtomicFile.write(switched, to: URL(fileURLWithPath: root).appendingPathComponent(".sops.yaml"))
            Output.print("wrote .sops.yaml (every creation rule now encrypts to \(key.recipient))\n")
        }

        let regeneration = SecretRegeneration(root: root)
        var regenerated: [String] = []
        for path in regeneration.encryptedFiles() where !(try regeneration.recipients(of: path)).contains(key.recipient) {
            let count = try regeneration.regenerate(path)
            regenerated.append(path)
            Output.print("regenerated \(path) (\(count) value(s), random)\n")
        }

        if FileManager.default.fileExists(atPath: root + "/docs/architecture.md") {
            let changed = try DocsRunner.write(repoRoot: root)
            Output.print(changed ? "wrote docs/architecture.md\n" : "docs/architecture.md is up to date\n")
        }

        Output.print("\n")
        if !regenerated.isEmpty {
            Output.print("""
            The regenerated secrets hold random placeholders. Put your real credentials in them \
            (for example the Cloudflare API token) with `homeport secrets edit FILE`.\n
            """)
        }
        Output.print("Next: review the changes (git diff), run `homeport check`, then commit.\n")
    }

    private func ask(_ given: ClusterDefinitionValues, defaults: [String: String]) -> ClusterDefinitionValues {
        var values = given
        for path in ClusterDefinitionValues.promptPaths where values.value(path) == nil {
            let current = defaults[path] ?? ""
            Output.printError("\(path) [\(current)]: ")
            guard let line = readLine() else { break }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if !answer.isEmpty { values.set(path, answer) }
        }
        return values
    }

    private func readText(_ root: String, _ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: root + "/" + path), let text = String(data: data, encoding: .utf8) else {
            throw HomeportError("cannot read \(path) in \(root)")
        }
        return text
    }
}
