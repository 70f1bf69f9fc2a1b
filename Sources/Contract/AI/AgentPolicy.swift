/// What the contract (section 7) lets AI agents do, in one place: the guard hook, the MCP
/// server, the generated client configs and the `AGENTS.md` section all read these values, so
/// they cannot disagree.
public enum AgentPolicy {
    /// Folders agents may write below (contract section 7): manifests, cluster definitions,
    /// bootstrap code. Everything else, including the root and `docs/`, is written by humans.
    public static let writableLayers = ["cluster/kubernetes", "config", "infrastructure"]

    /// Where the harness writes its logs (contract section 8); agents never write there.
    public static let logDirectory = "logs/ai"

    /// The guard's decision log, one JSON object per line.
    public static let hookLogPath = logDirectory + "/hooks.jsonl"

    /// The MCP server's tool-call log, one JSON object per line.
    public static let mcpLogPath = logDirectory + "/mcp.jsonl"

    /// Commands that would change a cluster behind Git's back (contract 1.2 and 5), by program
    /// and the sub-commands that do it.
    public static let forbiddenCommands: [(program: String, verbs: Set<String>)] = [
        ("kubectl", ["apply", "create", "replace", "patch", "edit", "delete"]),
        ("helm", ["install", "upgrade"]),
        ("talosctl", ["apply-config", "upgrade", "reset"]),
    ]

    /// True when a repo-relative path (normalised, no `..`) lies strictly inside a writable
    /// layer: `config/clusters/x.yaml` is writable, `config` itself is not (deleting or
    /// replacing a whole layer is a human decision).
    public static func isWritable(_ relativePath: String) -> Bool {
        writableLayer(of: relativePath) != nil
    }

    /// The writable layer holding a path, or nil.
    public static func writableLayer(of relativePath: String) -> String? {
        writableLayers.first { relativePath.hasPrefix($0 + "/") && relativePath.count > $0.count + 1 }
    }

    /// True for the ids of registered rules that look for plaintext secrets: the guard runs
    /// exactly these on proposed content, so it flags what `homeport check` would flag.
    public static func isSecretRule(_ id: String) -> Bool {
        id.hasPrefix("secrets.") || id == "talos.no-inline-secrets" || id == "config.no-secrets"
    }

    /// Path fragments of local secret material that no agent reads or copies: age identities,
    /// the Talos secrets folder, kubeconfig and talosconfig, SSH keys, decrypted SOPS files.
    public static func isSecretMaterial(_ path: String) -> Bool {
        let lowered = path.lowercased()
        let name = lowered.split(separator: "/").last.map(String.init) ?? lowered
        if lowered.contains("/.talos/") || lowered.hasPrefix(".talos/") || lowered == ".talos" { return true }
        if lowered.contains("sops/age") || lowered.contains("/.ssh/") || lowered.hasPrefix(".ssh/") { return true }
        if name == "keys.txt" || name == "age.key" || name.hasSuffix(".agekey") { return true }
        if name == "kubeconfig" || name.hasSuffix(".kubeconfig") || name == "talosconfig" { return true }
        if name.hasSuffix(".dec.yaml") || name.hasPrefix("id_rsa") || name.hasPrefix("id_ed25519") || name.hasPrefix("id_ecdsa") { return true }
        return false
    }
}
