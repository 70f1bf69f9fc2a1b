import Manifests
import Testing

/// The Flux entrypoint reconciles every folder of platform/ and apps/, once, in a valid order.
struct FluxLayoutTests {
    static var paths: [String: String] {
        var result: [String: String] = [:]
        for document in ReferenceRepo.fluxKustomizations {
            if let name = document.name, let path = document.root[path: "spec.path"]?.string {
                result[name] = ReferenceRepo.normalize(path)
            }
        }
        return result
    }

    @Test func everyPlatformAndAppFolderIsReconciledExactlyOnce() {
        let reconciled = Array(Self.paths.values)
        let folders = ReferenceRepo.kustomizeFolders.filter {
            $0.hasPrefix("cluster/kubernetes/platform/") || $0.hasPrefix("cluster/kubernetes/apps/")
        }
        #expect(folders.count >= 16)
        for folder in folders {
            #expect(reconciled.filter { $0 == folder }.count == 1, "\(folder) is reconciled \(reconciled.filter { $0 == folder }.count) times")
        }
        // Every top-level concern and app folder is itself a kustomize folder.
        for parent in ["cluster/kubernetes/platform", "cluster/kubernetes/apps"] {
            for child in ReferenceRepo.snapshot.subdirectories(of: parent) {
                #expect(folders.contains(parent + "/" + child), "\(parent)/\(child) has no kustomization.yaml")
            }
        }
    }

    @Test func everyKustomizationPointsAtAFolderAndDependsOnExistingOnes() {
        let paths = Self.paths
        #expect(paths.count >= 17)
        for document in ReferenceRepo.fluxKustomizations {
            let name = document.name ?? "?"
            let path = paths[name] ?? ""
            #expect(ReferenceRepo.snapshot.exists(path + "/kustomization.yaml"), "\(name): spec.path \(path) has no kustomization.yaml")
            #expect(document.root[path: "spec.decryption.provider"]?.string == "sops", "\(name) does not decrypt SOPS files")
            #expect(document.root[path: "spec.sourceRef.name"]?.string == "flux-system")
            let sources = document.root[path: "spec.postBuild.substituteFrom"]?.sequence?.items.compactMap { $0["name"]?.string } ?? []
            #expect(sources == ["cluster-settings"], "\(name) does not substitute from cluster-settings")
            for dependency in dependencies(of: document) {
                #expect(paths[dependency] != nil, "\(name) depends on unknown \(dependency)")
            }
        }
    }

    @Test func dependsOnHasNoCyclesAndPutsControllersFirst() {
        var graph: [String: [String]] = [:]
        for document in ReferenceRepo.fluxKustomizations {
            graph[document.name ?? "?"] = dependencies(of: document)
        }
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ node: String, _ trail: [String]) -> [String]? {
            if state[node] == 2 { return nil }
            if state[node] == 1 { return trail + [node] }
            state[node] = 1
            for next in graph[node] ?? [] {
                if let cycle = visit(next, trail + [node]) { return cycle }
            }
            state[node] = 2
            return nil
        }
        for node in graph.keys.sorted() {
            let cycle = visit(node, [])
            #expect(cycle == nil, "dependsOn cycle: \(cycle ?? [])")
        }
        // Configuration that needs a controller's CRDs waits for it.
        let required = ["certs-issuers": "certs", "networking-pools": "networking", "ingress-gateways": "ingress",
                        "security-policies": "security"]
        for (config, controller) in required {
            #expect(graph[config]?.contains(controller) == true, "\(config) must depend on \(controller)")
        }
        for app in ["demo-game", "jellyfin", "nextcloud", "ai-studio"] {
            #expect(graph[app]?.contains("ingress") == true, "\(app) must come after the Gateway API CRDs")
        }
    }

    private func dependencies(of document: ManifestDocument) -> [String] {
        document.root[path: "spec.dependsOn"]?.sequence?.items.compactMap { $0["name"]?.string } ?? []
    }
}
