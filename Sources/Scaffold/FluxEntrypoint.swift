import HomeportCore
import Manifests

/// The Flux Kustomizations of the GitOps entrypoint (`flux.path` of the cluster definition),
/// and how a scaffold registers a new folder with them.
struct FluxEntrypoint {
    struct Entry {
        var name: String
        /// `spec.path` without a leading `./` or trailing `/`.
        var path: String
        var file: String
    }

    /// The entrypoint folder, repo-relative.
    let folder: String
    let entries: [Entry]
    private let snapshot: RepoSnapshot

    init(snapshot: RepoSnapshot) {
        self.snapshot = snapshot
        folder = FluxEntrypoint.folder(in: snapshot)
        entries = snapshot.files(under: folder).flatMap(\.documents).compactMap { document in
            guard document.kind == "Kustomization", document.apiVersion?.hasPrefix("kustomize.toolkit.fluxcd.io/") == true,
                  let name = document.name else { return nil }
            let path = FluxEntrypoint.normalize(document.root[path: "spec.path"]?.string ?? "")
            return Entry(name: name, path: path, file: document.path)
        }
    }

    /// `flux.path` when every cluster definition agrees on one, else the template's default.
    static func folder(in snapshot: RepoSnapshot) -> String {
        let paths = Set(snapshot.files(under: "config/clusters").filter(\.isYAML).compactMap { file in
            file.documents.first?.root[path: "flux.path"]?.string.map(normalize)
        })
        if paths.count == 1, let only = paths.first, !only.isEmpty { return only }
        return "cluster/kubernetes/flux"
    }

    static func normalize(_ path: String) -> String {
        var result = path
        while result.hasPrefix("./") { result.removeFirst(2) }
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }

    func reconciles(_ path: String) -> Bool {
        entries.contains { $0.path == path }
    }

    /// The planned edits that add a Flux Kustomization `name` for `path` to the layer file
    /// (`apps.yaml` or `platform.yaml`). `dependsOn` keeps only Kustomizations that exist.
    func register(name: String, path: String, layerFile: String, dependsOn candidates: [String],
                  comment: String) throws -> [PlannedFile] {
        if let existing = entries.first(where: { $0.name == name }) {
            throw HomeportError.usage("a Flux Kustomization named '\(name)' already exists in \(existing.file) (for ./\(existing.path))")
        }
        let dependsOn = candidates.filter { candidate in entries.contains { $0.name == candidate } }
        let document = ManifestTemplates.fluxKustomization(name: name, path: path, dependsOn: dependsOn, comment: comment)
        let layerPath = folder + "/" + layerFile
        if let file = snapshot.file(layerPath) {
            guard let text = file.text else { throw HomeportError("\(layerPath) is not readable text") }
            return [PlannedFile(path: layerPath, content: ensureNewline(text) + document, change: .update)]
        }
        let kustomizationPath = folder + "/kustomization.yaml"
        guard let kustomization = snapshot.file(kustomizationPath)?.text else {
            throw HomeportError.usage("no \(kustomizationPath): is \(folder) the Flux entrypoint (flux.path)?")
        }
        return [
            PlannedFile(path: layerPath, content: document, change: .create),
            PlannedFile(path: kustomizationPath, content: try KustomizationList.appending(layerFile, to: kustomization, path: kustomizationPath), change: .update),
        ]
    }

    private func ensureNewline(_ text: String) -> String {
        text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
    }
}
