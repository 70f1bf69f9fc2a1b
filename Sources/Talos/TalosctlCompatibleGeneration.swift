import Foundation
import HomeportCore

/// `homeport talos gen config NAME ENDPOINT --with-secrets FILE ...`: the same inputs and
/// output files as `talosctl gen config`, so scripts written for talosctl keep working.
public struct TalosctlCompatibleGeneration: Sendable {
    public var clusterName: String
    public var endpoint: String
    public var secretsPath: String
    public var talosVersion: String?
    public var kubernetesVersion: String?
    public var patchArguments: [String] = []
    public var installDisk = "/dev/sda"
    public var installImage: String?
    public var additionalSANs: [String] = []
    public var dnsDomain = "cluster.local"
    public var outputDirectory: String
    /// Replace existing output files (talosctl's `--force`).
    public var force = false

    public init(clusterName: String, endpoint: String, secretsPath: String, outputDirectory: String) {
        self.clusterName = clusterName
        self.endpoint = endpoint
        self.secretsPath = secretsPath
        self.outputDirectory = outputDirectory
    }

    /// Writes `controlplane.yaml`, `worker.yaml` and `talosconfig`; returns their paths.
    @discardableResult
    public func run(random: any RandomSource = SystemRandomSource(), now: Date = Date()) throws -> [String] {
        let contract = try talosVersion.map { try TalosContract(parsing: $0) } ?? TalosContract.verified.max() ?? TalosContract(1, 13)
        guard let kubernetes = kubernetesVersion else {
            throw HomeportError.usage("pass --kubernetes-version (Talos \(contract) defaults to Kubernetes \(TalosContract.defaultKubernetesMinor[contract] ?? "?").x)")
        }
        let secrets = try SecretsBundle.load(path: secretsPath)
        var options = MachineConfigOptions(clusterName: clusterName, endpoint: endpoint, kubernetesVersion: kubernetes, contract: contract)
        options.additionalSANs = additionalSANs
        options.dnsDomain = dnsDomain
        options.installDisk = installDisk
        let tag = talosVersion.map { $0.hasPrefix("v") ? $0 : "v" + $0 } ?? contract.description
        options.installImage = installImage ?? "ghcr.io/siderolabs/installer:\(tag)"
        let patches = try patchArguments.map(ConfigPatch.load(argument:))
        let generator = MachineConfigGenerator(options: options, secrets: secrets)
        var outputs: [(String, String)] = []
        for role in MachineRole.allCases {
            var documents = try generator.documents(for: role)
            for patch in patches { documents = try patch.apply(to: documents) }
            outputs.append(("\(role.rawValue).yaml", GoYAMLEncoder.encode(documents: documents)))
        }
        // Like talosctl, the client config points at 127.0.0.1 until `talosctl config endpoint`
        // names the control planes: the cluster endpoint may be a VIP or load balancer.
        let talosconfig = try Talosconfig.generate(context: clusterName, endpoints: ["127.0.0.1"], secrets: secrets, random: random, now: now)
        outputs.append(("talosconfig", talosconfig.yaml))
        if !force {
            for (name, _) in outputs where FileManager.default.fileExists(atPath: outputDirectory + "/" + name) {
                throw HomeportError("\(outputDirectory)/\(name) already exists; pass --force to replace it")
            }
        }
        return try outputs.map { name, text in
            let path = outputDirectory + "/" + name
            try AtomicFile.write(text, to: URL(fileURLWithPath: path), permissions: 0o600)
            return path
        }
    }
}
