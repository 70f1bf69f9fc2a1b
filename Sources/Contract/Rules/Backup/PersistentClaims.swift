import Manifests

/// The PersistentVolumeClaims a set of manifests asks for: standalone claims and the claims a
/// StatefulSet's `volumeClaimTemplates` create (`<template>-<statefulset>-<ordinal>`).
struct PersistentClaim {
    /// The claim's name (for a template, the claim of ordinal 0).
    var name: String
    var namespace: String?
    /// The StorageClass, nil when the cluster's default class is used.
    var storageClassName: String?
    /// `metadata.annotations` of the claim (or of the template).
    var annotations: YAMLNode?
    /// Where the claim's (or template's) name is written.
    var mark: Mark
    var path: String
    /// "claim" or "volumeClaimTemplate 'data' of StatefulSet 'postgres'", for messages.
    var label: String

    /// The annotation a claim carries when it is deliberately not backed up.
    static let backupAnnotation = "homeport.dev/backup"

    /// The local-path StorageClass, which is also the reference cluster's default class.
    static let localPath = "local-path"

    /// True when the claim lands on `local-path`: named so, or no class at all (the default).
    var isLocalPath: Bool { storageClassName == nil || storageClassName == Self.localPath }

    /// Every claim declared in `documents`; the namespace falls back to `defaultNamespace(path)`.
    static func all(in documents: [ManifestDocument], defaultNamespace: (String) -> String?) -> [PersistentClaim] {
        var claims: [PersistentClaim] = []
        for document in documents {
            let namespace = document.namespace ?? defaultNamespace(document.path)
            switch document.kind {
            case "PersistentVolumeClaim":
                guard let name = document.name else { continue }
                claims.append(PersistentClaim(
                    name: name, namespace: namespace, storageClassName: document.root[path: "spec.storageClassName"]?.string,
                    annotations: document.root[path: "metadata.annotations"],
                    mark: document.root[path: "metadata.name"]?.mark ?? document.root.mark, path: document.path, label: "claim"))
            case "StatefulSet":
                guard let statefulSet = document.name else { continue }
                let replicas = max(document.root[path: "spec.replicas"]?.int ?? 1, 1)
                for template in document.root[path: "spec.volumeClaimTemplates"]?.sequence?.items ?? [] {
                    guard let name = template[path: "metadata.name"]?.string else { continue }
                    for ordinal in 0..<replicas {
                        claims.append(PersistentClaim(
                            name: "\(name)-\(statefulSet)-\(ordinal)", namespace: namespace,
                            storageClassName: template[path: "spec.storageClassName"]?.string,
                            annotations: template[path: "metadata.annotations"],
                            mark: template[path: "metadata.name"]?.mark ?? template.mark, path: document.path,
                            label: "volumeClaimTemplate '\(name)' of StatefulSet '\(statefulSet)'"))
                    }
                }
            default:
                continue
            }
        }
        return claims
    }

    /// The app folder's name for a path under `cluster/kubernetes/apps/<app>/`: the namespace
    /// a namespaced object there must use (contract 2.1).
    static func appNamespace(_ path: String) -> String? {
        let parts = path.split(separator: "/")
        guard parts.count >= 5, parts[0] == "cluster", parts[1] == "kubernetes", parts[2] == "apps" else { return nil }
        return String(parts[3])
    }
}
