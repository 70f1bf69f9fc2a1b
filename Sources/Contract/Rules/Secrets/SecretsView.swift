import HomeportCore
import Manifests
import SOPSFormat

/// What the secrets rules share: the root `.sops.yaml` and the sops structure of files,
/// derived from the snapshot alone (no keys, no disk).
struct SecretsView {
    static let configPath = SOPSConfig.fileName
    /// The selection Flux repositories use for Secrets when no rule says otherwise.
    static let fluxSelection = EncryptionSelection.encryptedRegex("^(data|stringData)$")

    let snapshot: RepoSnapshot
    let config: SOPSConfig?

    init(_ context: RuleContext) {
        snapshot = context.snapshot
        config = snapshot.file(Self.configPath)?.text.map(SOPSConfig.parse)
    }

    /// The creation rule that names this file by its `path_regex` (catch-all rules do not
    /// say a file must be encrypted, only how to encrypt it).
    /// Templates (`secret.sops.yaml.j2`) are rendered into the file to encrypt; they are never
    /// encrypted themselves.
    func namingRule(for path: String) -> SOPSConfig.CreationRule? {
        guard path != Self.configPath, !Self.isTemplate(path), let rule = config?.rule(for: path), rule.pathRegex != nil else { return nil }
        return rule
    }

    /// Names of the Secrets the repository defines or has created (Secret, SealedSecret,
    /// ExternalSecret targets): a value equal to one of them is a reference, not a secret.
    func definedSecretNames() -> Set<String> {
        var names: Set<String> = []
        for file in snapshot.files where file.isYAML {
            for document in file.documents {
                guard let kind = document.kind, ["Secret", "SealedSecret", "ExternalSecret", "ClusterExternalSecret", "OnePasswordItem"].contains(kind) else { continue }
                if let name = document.name { names.insert(name) }
                if let target = document.root[path: "spec.target.name"]?.string { names.insert(target) }
            }
        }
        return names
    }

    /// Jinja, Go and other template files, by extension.
    static func isTemplate(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return false }
        return templateExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    static let templateExtensions: Set<String> = ["j2", "jinja", "jinja2", "tmpl", "tpl", "gotmpl", "template", "tftpl", "mustache", "hbs", "erb"]

    /// True when the text might hold sops metadata, so only those files are inspected.
    static func mayHaveSOPSBlock(_ file: RepoFile, text: String) -> Bool {
        if file.isYAML { return file.documents.contains { $0.isSOPSEncrypted } }
        switch SOPSStoreKind.forPath(file.path) {
        case .dotenv: return text.contains("sops_mac=")
        case .ini: return text.contains("[sops]")
        default: return text.contains("\"sops\"")
        }
    }

    /// Kubernetes Secret documents of a YAML file that hold values (not only references to a
    /// secret manager).
    static func secretDocuments(_ file: RepoFile) -> [ManifestDocument] {
        file.documents.filter { document in
            guard document.kind == "Secret", document.apiVersion == "v1" else { return false }
            return ["data", "stringData"].contains { key in
                document.root[key]?.mapping?.entries.contains { entry in
                    guard let value = entry.value.string else { return false }
                    return !SecretReference.isReference(value)
                } ?? false
            }
        }
    }

    /// The sops status of a file, or nil when it cannot be read as its store.
    static func status(_ file: RepoFile) -> SOPSFileStatus? {
        guard let text = file.text else { return nil }
        if file.isYAML, file.yaml?.error != nil { return nil }
        return try? SOPSFileStatus.inspect(path: file.path, text: text, stream: file.yaml)
    }

    /// Files holding a sops block, with their status.
    func encryptedFiles() -> [(file: RepoFile, status: SOPSFileStatus)] {
        snapshot.files.compactMap { file in
            guard file.path != Self.configPath, let text = file.text, Self.mayHaveSOPSBlock(file, text: text),
                  let status = Self.status(file), status.hasSOPSBlock else { return nil }
            return (file, status)
        }
    }

    /// `a.b[…].c` for messages.
    static func dotted(_ path: [String]) -> String { path.joined(separator: ".") }
}
