import Foundation
import Manifests
import Testing

/// What the contract and the brief of the reference homelab demand of every manifest.
struct ManifestHygieneTests {
    static let podOwners: [String: String] = [
        "Deployment": "spec.template.spec", "StatefulSet": "spec.template.spec", "DaemonSet": "spec.template.spec",
        "Job": "spec.template.spec", "CronJob": "spec.jobTemplate.spec.template.spec",
    ]

    @Test func everyVariableIsDefinedInClusterSettingsOrDefaulted() throws {
        let settings = try #require(ReferenceRepo.snapshot.file("cluster/kubernetes/flux/cluster-settings.yaml")?.documents.first)
        let defined = Set(settings.root["data"]?.mapping?.entries.compactMap { $0.key.scalar?.value } ?? [])
        #expect(defined.isSuperset(of: ["CLUSTER_NAME", "CLUSTER_DOMAIN", "CONTROL_PLANE_VIP", "LB_POOL", "NFS_SERVER", "NFS_PATH", "NODE_CIDR"]))
        let pattern = try NSRegularExpression(pattern: #"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:=[^}]*)?\}"#)
        var used: Set<String> = []
        for document in ReferenceRepo.documents where !document.isSOPSEncrypted {
            if document.root[path: "metadata.annotations"]?["kustomize.toolkit.fluxcd.io/substitute"]?.string == "disabled" { continue }
            document.root.walk { _, node in
                guard let text = node.scalar?.value, text.contains("${") else { return }
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let nameRange = Range(match.range(at: 1), in: text) else { continue }
                    let name = String(text[nameRange])
                    used.insert(name)
                    let hasDefault = match.range(at: 2).location != NSNotFound
                    #expect(defined.contains(name) || hasDefault, "\(document.path): ${\(name)} is neither in cluster-settings nor defaulted")
                }
            }
        }
        #expect(used.isSuperset(of: ["CLUSTER_DOMAIN", "LB_POOL", "NFS_SERVER", "NFS_PATH"]), "\(used.sorted())")
    }

    @Test func everySecretIsSOPSEncrypted() {
        let secrets = ReferenceRepo.documents.filter { $0.kind == "Secret" }
        #expect(secrets.count >= 6)
        for secret in secrets {
            #expect(secret.isSOPSEncrypted, "\(secret.path): Secret \(secret.name ?? "?") is not SOPS-encrypted")
            #expect(secret.path.hasSuffix(".sops.yaml"), "\(secret.path): Secret files are named *.sops.yaml")
        }
    }

    @Test func everyContainerHasRequestsAndLimits() {
        var checked = 0
        for document in ReferenceRepo.documents {
            guard let kind = document.kind, let specPath = Self.podOwners[kind], let pod = document.root[path: specPath] else { continue }
            for key in ["containers", "initContainers"] {
                for container in pod[key]?.sequence?.items ?? [] {
                    checked += 1
                    let name = "\(document.path) \(kind)/\(document.name ?? "?") container \(container["name"]?.string ?? "?")"
                    for field in ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] {
                        #expect(container[path: "resources." + field] != nil, "\(name) has no resources.\(field)")
                    }
                    let image = container["image"]?.string ?? ""
                    let tag = image.split(separator: "/").last.flatMap { $0.split(separator: ":").dropFirst().first } ?? ""
                    #expect(!tag.isEmpty && tag != "latest", "\(name): image \(image) is not pinned")
                }
            }
        }
        #expect(checked >= 11)
    }

    @Test func everyChartIsPinned() {
        let documents = ReferenceRepo.documents
        let ociTags = Dictionary(documents.filter { $0.kind == "OCIRepository" }.map {
            ("\($0.namespace ?? "")/\($0.name ?? "")", $0.root[path: "spec.ref.tag"]?.string ?? "")
        }, uniquingKeysWith: { first, _ in first })
        let releases = documents.filter { $0.kind == "HelmRelease" }
        #expect(releases.count >= 13)
        for release in releases {
            let name = "\(release.path) HelmRelease/\(release.name ?? "?")"
            #expect(release.apiVersion == "helm.toolkit.fluxcd.io/v2", "\(name) uses \(release.apiVersion ?? "?")")
            if let reference = release.root[path: "spec.chartRef"] {
                let key = "\(release.namespace ?? "")/\(reference["name"]?.string ?? "")"
                #expect(reference["kind"]?.string == "OCIRepository")
                let tag = ociTags[key] ?? ""
                #expect(isPinned(tag), "\(name): OCIRepository \(key) tag '\(tag)' is not pinned")
            } else {
                let chart = release.root[path: "spec.chart.spec"]
                let version = chart?["version"]?.string
                let fromGit = chart?[path: "sourceRef.kind"]?.string == "GitRepository"
                #expect(fromGit || version.map(isPinned) == true, "\(name): chart version '\(version ?? "none")' is not pinned")
            }
        }
        for repository in documents where repository.kind == "GitRepository" {
            #expect(repository.root[path: "spec.ref.tag"]?.string.map(isPinned) == true, "\(repository.path): GitRepository is not pinned to a tag")
        }
    }

    @Test func everyNamespaceSetsAPodSecurityLevel() {
        let namespaces = ReferenceRepo.documents.filter { $0.kind == "Namespace" }
        #expect(namespaces.count >= 13)
        for namespace in namespaces {
            let level = namespace.root[path: "metadata.labels"]?["pod-security.kubernetes.io/enforce"]?.string
            #expect(["privileged", "baseline", "restricted"].contains(level ?? ""), "\(namespace.path): namespace \(namespace.name ?? "?") has no enforce level")
        }
    }

    @Test func appsStayInTheirNamespaceAndHoldNoPlatformObjects() {
        let appsFolder = "cluster/kubernetes/apps/"
        for document in ReferenceRepo.documents where document.path.hasPrefix(appsFolder) && document.kind != "Kustomization" {
            let app = String(document.path.dropFirst(appsFolder.count).prefix { $0 != "/" })
            switch document.kind {
            case "Namespace":
                #expect(document.name == app, "\(document.path): apps/\(app) creates namespace \(document.name ?? "?")")
            case "PersistentVolume":
                #expect(document.root[path: "spec.claimRef.namespace"]?.string == app, "\(document.path): static PV bound outside \(app)")
            default:
                #expect(document.namespace == app, "\(document.path): \(document.kind ?? "?")/\(document.name ?? "?") is not in namespace \(app)")
            }
        }
    }

    @Test func databasesAndSQLiteNeverUseNFS() {
        // Claims of the apps that keep a database or SQLite file, and where they must live.
        let local = ["data": "postgres", "jellyfin-config": "", "open-webui-data": "", "ollama-models": ""]
        for document in ReferenceRepo.documents {
            if document.kind == "PersistentVolumeClaim", let name = document.name, local[name] != nil {
                #expect(document.root[path: "spec.storageClassName"]?.string == "local-path", "\(document.path): \(name) must be on local-path")
            }
            if document.kind == "StatefulSet" {
                for template in document.root[path: "spec.volumeClaimTemplates"]?.sequence?.items ?? [] {
                    #expect(template[path: "spec.storageClassName"]?.string == "local-path", "\(document.path): database volume must be on local-path")
                }
            }
        }
    }

    private func isPinned(_ version: String) -> Bool {
        !version.isEmpty && version != "latest" && !version.contains(where: { "*^~<>=|, ".contains($0) })
            && !version.split(separator: ".").contains("x")
    }
}
