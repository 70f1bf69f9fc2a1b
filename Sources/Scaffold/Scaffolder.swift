import HomeportCore
import Manifests

/// `homeport new app` and `homeport new platform`: contract-clean folders under
/// `cluster/kubernetes/`, registered with the Flux entrypoint. Planning only reads the
/// snapshot; ``ScaffoldPlan/apply(root:)`` writes.
public struct Scaffolder: Sendable {
    public static let appsFolder = "cluster/kubernetes/apps"
    public static let platformFolder = "cluster/kubernetes/platform"

    let snapshot: RepoSnapshot

    public init(snapshot: RepoSnapshot) {
        self.snapshot = snapshot
    }

    /// A new app folder `apps/NAME` (namespace NAME) with either a placeholder workload or the
    /// given chart, an HTTPRoute on the internal Gateway, and its Flux Kustomization.
    public func planApp(name: String, chart: OCIChart?) throws -> ScaffoldPlan {
        try ResourceName.validate(name, what: "app name")
        let folder = Scaffolder.appsFolder + "/" + name
        guard !snapshot.exists(folder) else {
            throw HomeportError.usage("\(folder) already exists; pick another name or edit it by hand")
        }
        let flux = FluxEntrypoint(snapshot: snapshot)
        var files: [PlannedFile] = []
        func add(_ file: String, _ content: String) {
            files.append(PlannedFile(path: folder + "/" + file, content: content, change: .create))
        }
        add("namespace.yaml", ManifestTemplates.namespace(name, partOf: "apps", concern: nil,
                                                           enforce: chart == nil ? "restricted" : "baseline"))
        var resources = ["namespace.yaml"]
        if let chart {
            add("ocirepository.yaml", ManifestTemplates.ociRepository(name: name, namespace: name, chart: chart))
            add("helmrelease.yaml", ManifestTemplates.helmRelease(name: name, namespace: name))
            add("httproute.yaml", ManifestTemplates.httpRoute(name: name, namespace: name, service: name, port: 80,
                                                              note: "Check the Service name and port the chart creates."))
            resources += ["ocirepository.yaml", "helmrelease.yaml", "httproute.yaml"]
        } else {
            add("app.yaml", ManifestTemplates.rawWorkload(name: name, namespace: name))
            add("httproute.yaml", ManifestTemplates.httpRoute(name: name, namespace: name, service: name, port: 80, note: ""))
            resources += ["app.yaml", "httproute.yaml"]
        }
        add("kustomization.yaml", ManifestTemplates.kustomization(
            namespace: name, resources: resources, comment: "App \(name): one folder, one namespace (repo contract 2.1)."))
        add("README.md", appReadme(name: name, chart: chart))
        files += try flux.register(name: name, path: folder, layerFile: "apps.yaml",
                                   dependsOn: ["ingress", "storage"],
                                   comment: "App \(name) (scaffolded by homeport new app).")
        return ScaffoldPlan(files: files)
    }

    /// A component NAME in platform concern CONCERN. A new concern folder gets its namespace
    /// (CONCERN unless `namespace` says otherwise) and a Flux Kustomization named CONCERN; an
    /// existing one gets the component added to its kustomization.yaml.
    public func planPlatform(concern: String, name: String, namespace requestedNamespace: String?,
                             chart: OCIChart?) throws -> ScaffoldPlan {
        try ResourceName.validate(concern, what: "concern")
        try ResourceName.validate(name, what: "component name")
        if let requestedNamespace { try ResourceName.validate(requestedNamespace, what: "namespace") }
        let folder = Scaffolder.platformFolder + "/" + concern
        let componentPath = folder + "/" + name + ".yaml"
        guard !snapshot.exists(componentPath) else {
            throw HomeportError.usage("\(componentPath) already exists")
        }
        let flux = FluxEntrypoint(snapshot: snapshot)
        var files: [PlannedFile] = []
        let namespace: String
        if snapshot.exists(folder) {
            namespace = try requestedNamespace ?? existingNamespace(of: folder)
            let kustomizationPath = folder + "/kustomization.yaml"
            guard let text = snapshot.file(kustomizationPath)?.text else {
                throw HomeportError.usage("\(folder) has no kustomization.yaml to add \(name).yaml to")
            }
            files.append(PlannedFile(path: kustomizationPath,
                                     content: try KustomizationList.appending(name + ".yaml", to: text, path: kustomizationPath),
                                     change: .update))
        } else {
            namespace = requestedNamespace ?? concern
            files.append(PlannedFile(path: folder + "/namespace.yaml",
                                     content: ManifestTemplates.namespace(namespace, partOf: "platform", concern: concern, enforce: "baseline"),
                                     change: .create))
            files.append(PlannedFile(path: folder + "/kustomization.yaml",
                                     content: ManifestTemplates.kustomization(namespace: nil, resources: ["namespace.yaml", name + ".yaml"],
                                                                              comment: "Platform concern \(concern) (repo contract 2.1)."),
                                     change: .create))
            files.append(PlannedFile(path: folder + "/README.md", content: concernReadme(concern: concern, namespace: namespace),
                                     change: .create))
        }
        let component = chart.map { ManifestTemplates.ociChart(name: name, namespace: namespace, chart: $0) }
            ?? ManifestTemplates.rawWorkload(name: name, namespace: namespace)
        files.append(PlannedFile(path: componentPath, content: component, change: .create))
        if !flux.reconciles(folder) {
            files += try flux.register(name: concern, path: folder, layerFile: "platform.yaml", dependsOn: [],
                                       comment: "Platform concern \(concern) (scaffolded by homeport new platform).")
        }
        return ScaffoldPlan(files: files)
    }

    /// The namespace an existing concern folder creates.
    private func existingNamespace(of folder: String) throws -> String {
        let namespaces = snapshot.filesDirectly(in: folder).flatMap(\.documents)
            .filter { $0.kind == "Namespace" && $0.apiVersion == "v1" }.compactMap(\.name)
        guard namespaces.count == 1, let only = namespaces.first else {
            throw HomeportError.usage("cannot tell which namespace \(folder) uses (\(namespaces.count) Namespace objects); pass --namespace")
        }
        return only
    }

    private func appReadme(name: String, chart: OCIChart?) -> String {
        let what = chart.map { "the chart `\($0.url)` at version `\($0.version)` (`ocirepository.yaml`, `helmrelease.yaml`)" }
            ?? "a placeholder workload (`app.yaml`: pinned unprivileged nginx, requests and limits)"
        return """
        # apps/\(name)

        Namespace `\(name)`. Scaffolded by `homeport new app`: \(what).
        It answers at `https://\(name).${CLUSTER_DOMAIN}` on the internal Gateway (`httproute.yaml`);
        its Flux Kustomization `\(name)` is in `flux/apps.yaml`.

        Next: set real requests and limits and add them to `docs/capacity.md`; put secrets in a
        SOPS-encrypted `secret.sops.yaml` here; keep databases and SQLite on `local-path`, bulk
        data on `nfs`. Every `local-path` claim is backed up to the NAS by a VolSync
        `ReplicationSource` (copy one from `apps/jellyfin/`), or says why not with the annotation
        `homeport.dev/backup: "none: <reason>"` (rule `apps.backup`).

        """
    }

    private func concernReadme(concern: String, namespace: String) -> String {
        """
        # platform/\(concern)

        Namespace `\(namespace)` (Pod Security `baseline`). Scaffolded by `homeport new platform`;
        reconciled by the Flux Kustomization `\(concern)` in `flux/platform.yaml`.

        Objects that need this concern's CRDs go into a subfolder with its own Flux Kustomization
        that `dependsOn` `\(concern)`.

        """
    }
}
