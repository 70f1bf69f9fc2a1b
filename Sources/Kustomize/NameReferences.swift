import Manifests

/// Rewrites references to objects whose names changed during the build (prefixes, suffixes,
/// hash suffixes), the way kustomize's name-reference transformer does for the common
/// referrers: pod specs (ConfigMaps, Secrets, ServiceAccounts, PersistentVolumeClaims),
/// role bindings and Ingress backends.
enum NameReferences {
    /// Where a pod spec sits inside each workload kind.
    static let podSpecPaths: [String: [String]] = [
        "Pod": ["spec"],
        "Deployment": ["spec", "template", "spec"], "StatefulSet": ["spec", "template", "spec"],
        "DaemonSet": ["spec", "template", "spec"], "ReplicaSet": ["spec", "template", "spec"],
        "Job": ["spec", "template", "spec"], "ReplicationController": ["spec", "template", "spec"],
        "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
    ]

    static func fix(_ resources: inout [Resource]) {
        var renamed: [String: [(namespace: String, old: Set<String>, new: String)]] = [:]
        for resource in resources where resource.previousNames.count > 1 {
            let old = Set(resource.previousNames.dropLast())
            renamed[resource.kind, default: []].append((resource.namespace, old, resource.name))
        }
        guard !renamed.isEmpty else { return }
        func lookup(_ kind: String, _ name: String, namespace: String) -> String? {
            guard let candidates = renamed[kind] else { return nil }
            let matches = candidates.filter { $0.old.contains(name) && ($0.namespace == namespace || $0.namespace.isEmpty || namespace.isEmpty) }
            return matches.count == 1 ? matches[0].new : matches.first { $0.namespace == namespace }?.new
        }
        for index in resources.indices {
            let kind = resources[index].kind
            let namespace = resources[index].namespace
            var node = resources[index].node
            if let path = podSpecPaths[kind] {
                node = node.updating(path[...], create: false) { podSpec in
                    podSpec.map { fixPodSpec($0, namespace: namespace, lookup: lookup) }
                }
            }
            if kind == "RoleBinding" || kind == "ClusterRoleBinding", var subjects = node["subjects"]?.sequence {
                subjects.items = subjects.items.map { subject in
                    guard subject["kind"]?.string == "ServiceAccount", let name = subject["name"]?.string else { return subject }
                    let subjectNamespace = subject["namespace"]?.string ?? namespace
                    return lookup("ServiceAccount", name, namespace: subjectNamespace).map { subject.setting("name", .text($0)) } ?? subject
                }
                node = node.setting("subjects", .sequence(subjects))
            }
            if kind == "RoleBinding" || kind == "ClusterRoleBinding", let roleKind = node[path: "roleRef.kind"]?.string,
               let roleName = node[path: "roleRef.name"]?.string, let new = lookup(roleKind, roleName, namespace: roleKind == "ClusterRole" ? "" : namespace) {
                node = node.updating(["roleRef", "name"], create: false) { _ in .text(new) }
            }
            if kind == "HorizontalPodAutoscaler", let targetKind = node[path: "spec.scaleTargetRef.kind"]?.string,
               let targetName = node[path: "spec.scaleTargetRef.name"]?.string, let new = lookup(targetKind, targetName, namespace: namespace) {
                node = node.updating(["spec", "scaleTargetRef", "name"], create: false) { _ in .text(new) }
            }
            if kind == "StatefulSet", let service = node[path: "spec.serviceName"]?.string, let new = lookup("Service", service, namespace: namespace) {
                node = node.updating(["spec", "serviceName"], create: false) { _ in .text(new) }
            }
            if kind == "Ingress" {
                node = rewriteAll(node, keyPath: ["service", "name"], kind: "Service", namespace: namespace, lookup: lookup)
                if var tls = node[path: "spec.tls"]?.sequence {
                    tls.items = tls.items.map { entry in
                        guard let name = entry["secretName"]?.string, let new = lookup("Secret", name, namespace: namespace) else { return entry }
                        return entry.setting("secretName", .text(new))
                    }
                    node = node.updating(["spec", "tls"], create: false) { _ in .sequence(tls) }
                }
            }
            resources[index].node = node
        }
    }

    typealias Lookup = (String, String, String) -> String?

    static func fixPodSpec(_ spec: YAMLNode, namespace: String, lookup: (String, String, String) -> String?) -> YAMLNode {
        var result = spec
        func rename(_ node: YAMLNode, _ key: String, _ kind: String) -> YAMLNode {
            guard let name = node[key]?.string, let new = lookup(kind, name, namespace) else { return node }
            return node.setting(key, .text(new))
        }
        for key in ["serviceAccountName", "serviceAccount"] {
            result = rename(result, key, "ServiceAccount")
        }
        if var pullSecrets = result["imagePullSecrets"]?.sequence {
            pullSecrets.items = pullSecrets.items.map { rename($0, "name", "Secret") }
            result = result.setting("imagePullSecrets", .sequence(pullSecrets))
        }
        if var volumes = result["volumes"]?.sequence {
            volumes.items = volumes.items.map { volume in
                var volume = volume
                if let configMap = volume["configMap"] { volume = volume.setting("configMap", rename(configMap, "name", "ConfigMap")) }
                if let secret = volume["secret"] { volume = volume.setting("secret", rename(secret, "secretName", "Secret")) }
                if let claim = volume["persistentVolumeClaim"] { volume = volume.setting("persistentVolumeClaim", rename(claim, "claimName", "PersistentVolumeClaim")) }
                if var sources = volume[path: "projected.sources"]?.sequence {
                    sources.items = sources.items.map { source in
                        var source = source
                        if let configMap = source["configMap"] { source = source.setting("configMap", rename(configMap, "name", "ConfigMap")) }
                        if let secret = source["secret"] { source = source.setting("secret", rename(secret, "name", "Secret")) }
                        return source
                    }
                    volume = volume.updating(["projected", "sources"], create: false) { _ in .sequence(sources) }
                }
                return volume
            }
            result = result.setting("volumes", .sequence(volumes))
        }
        for key in ["containers", "initContainers", "ephemeralContainers"] {
            guard var containers = result[key]?.sequence else { continue }
            containers.items = containers.items.map { container in
                var container = container
                if var env = container["env"]?.sequence {
                    env.items = env.items.map { variable in
                        var variable = variable
                        if let ref = variable[path: "valueFrom.configMapKeyRef"] {
                            variable = variable.updating(["valueFrom", "configMapKeyRef"], create: false) { _ in rename(ref, "name", "ConfigMap") }
                        }
                        if let ref = variable[path: "valueFrom.secretKeyRef"] {
                            variable = variable.updating(["valueFrom", "secretKeyRef"], create: false) { _ in rename(ref, "name", "Secret") }
                        }
                        return variable
                    }
                    container = container.setting("env", .sequence(env))
                }
                if var envFrom = container["envFrom"]?.sequence {
                    envFrom.items = envFrom.items.map { source in
                        var source = source
                        if let ref = source["configMapRef"] { source = source.setting("configMapRef", rename(ref, "name", "ConfigMap")) }
                        if let ref = source["secretRef"] { source = source.setting("secretRef", rename(ref, "name", "Secret")) }
                        return source
                    }
                    container = container.setting("envFrom", .sequence(envFrom))
                }
                return container
            }
            result = result.setting(key, .sequence(containers))
        }
        return result
    }

    static func rewriteAll(_ node: YAMLNode, keyPath: [String], kind: String, namespace: String, lookup: (String, String, String) -> String?) -> YAMLNode {
        switch node {
        case .mapping(var mapping):
            for index in mapping.entries.indices {
                let key = mapping.entries[index].key.scalar?.value
                let value = mapping.entries[index].value
                if key == keyPath[0], let name = value[keyPath[1]]?.string, let new = lookup(kind, name, namespace) {
                    mapping.entries[index].value = value.setting(keyPath[1], .text(new))
                } else {
                    mapping.entries[index].value = rewriteAll(value, keyPath: keyPath, kind: kind, namespace: namespace, lookup: lookup)
                }
            }
            return .mapping(mapping)
        case .sequence(var sequence):
            sequence.items = sequence.items.map { rewriteAll($0, keyPath: keyPath, kind: kind, namespace: namespace, lookup: lookup) }
            return .sequence(sequence)
        case .scalar:
            return node
        }
    }
}
