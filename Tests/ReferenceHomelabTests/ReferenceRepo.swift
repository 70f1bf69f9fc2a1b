import Foundation
import Manifests
import TestSupport

/// This repository's own tree, scanned once for all tests of the reference homelab.
enum ReferenceRepo {
    static let root = SharedData.packageRoot
    static let kubernetes = "cluster/kubernetes"
    static let flux = "cluster/kubernetes/flux"

    static let snapshot: RepoSnapshot = {
        do {
            return try RepoScanner().scan(root: root)
        } catch {
            return RepoSnapshot(root: root, files: [])
        }
    }()

    /// Folders (repo-relative) holding a kustomization.yaml, outside the package's test data.
    static var kustomizeFolders: [String] {
        snapshot.files.filter { $0.name == "kustomization.yaml" && !$0.path.hasPrefix("Tests/") && !$0.path.hasPrefix(".build") }
            .map(\.directory).sorted()
    }

    /// Every Kubernetes document under cluster/kubernetes.
    static var documents: [ManifestDocument] {
        snapshot.files(under: kubernetes).flatMap(\.documents).filter(\.isKubernetesObject)
    }

    /// The Flux Kustomizations of the entrypoint, by name.
    static var fluxKustomizations: [ManifestDocument] {
        snapshot.files(under: flux).flatMap(\.documents).filter {
            $0.kind == "Kustomization" && $0.apiVersion?.hasPrefix("kustomize.toolkit.fluxcd.io/") == true
        }
    }

    static func normalize(_ path: String) -> String {
        var result = path
        while result.hasPrefix("./") { result.removeFirst(2) }
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
