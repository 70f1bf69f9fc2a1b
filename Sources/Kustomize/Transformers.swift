import Manifests

/// The built-in transformers, run in kustomize's order.
enum Transformers {
    static func run(_ spec: KustomizationSpec, files: any KustomizeFileSource, on list: inout ResourceList) throws {
        try Patches.strategicMergeField(spec, files: files, on: &list)
        try Patches.patchesField(spec, files: files, on: &list)
        if let namespace = spec.string("namespace"), !namespace.isEmpty { setNamespace(namespace, on: &list) }
        if let prefix = spec.string("namePrefix"), !prefix.isEmpty { rename(&list) { prefix + $0 } }
        if let suffix = spec.string("nameSuffix"), !suffix.isEmpty { rename(&list) { $0 + suffix } }
        try labels(spec, on: &list)
        if let annotations = spec.node["commonAnnotations"]?.stringPairs, !annotations.isEmpty {
            apply(annotations, paths: FieldPaths.annotationPaths, field: "annotations", on: &list)
        }
        try Patches.json6902Field(spec, files: files, on: &list)
        try replicas(spec, on: &list)
        try images(spec, on: &list)
        try Replacements.run(spec, files: files, on: &list)
    }

    // MARK: namespace

    static func setNamespace(_ namespace: String, on list: inout ResourceList) {
        for index in list.resources.indices {
            var resource = list.resources[index]
            if resource.kind == "Namespace", resource.gvk.group.isEmpty {
                resource.setName(namespace)
            } else if !resource.isClusterScoped {
                resource.node = resource.node.updating(["metadata", "namespace"], create: true) { _ in .text(namespace) }
            }
            if resource.kind == "RoleBinding" || resource.kind == "ClusterRoleBinding", var subjects = resource.node["subjects"]?.sequence {
                subjects.items = subjects.items.map { subject in
                    guard subject["kind"]?.string == "ServiceAccount", subject["name"]?.string == "default" else { return subject }
                    return subject.setting("namespace", .text(namespace))
                }
                resource.node = resource.node.setting("subjects", .sequence(subjects))
            }
            list.resources[index] = resource
        }
    }

    // MARK: namePrefix / nameSuffix

    static func rename(_ list: inout ResourceList, _ transform: (String) -> String) {
        for index in list.resources.indices {
            let resource = list.resources[index]
            if resource.kind == "Namespace" && resource.gvk.group.isEmpty { continue }
            if resource.kind == "CustomResourceDefinition" && resource.gvk.group == "apiextensions.k8s.io" { continue }
            if resource.kind == "APIService" && resource.gvk.group == "apiregistration.k8s.io" { continue }
            list.resources[index].setName(transform(resource.name))
        }
    }

    // MARK: labels and annotations

    static func labels(_ spec: KustomizationSpec, on list: inout ResourceList) throws {
        if let common = spec.node["commonLabels"]?.stringPairs, !common.isEmpty {
            apply(common, paths: FieldPaths.labelPaths(selectors: true, templates: true), field: "labels", on: &list)
        }
        for entry in spec.node["labels"]?.sequence?.items ?? [] {
            let pairs = entry["pairs"]?.stringPairs ?? []
            guard !pairs.isEmpty else { continue }
            let selectors = entry["includeSelectors"]?.bool ?? false
            let templates = entry["includeTemplates"]?.bool ?? false
            var paths = FieldPaths.labelPaths(selectors: selectors, templates: templates || selectors)
            for field in entry["fields"]?.sequence?.items ?? [] {
                guard let path = field["path"]?.string else { continue }
                paths.append(FieldPath(path: path, kind: field["kind"]?.string, group: field["group"]?.string, create: field["create"]?.bool ?? false))
            }
            apply(pairs, paths: paths, field: "labels", on: &list)
        }
    }

    static func apply(_ pairs: [(String, String)], paths: [FieldPath], field: String, on list: inout ResourceList) {
        for index in list.resources.indices {
            var node = list.resources[index].node
            let kind = list.resources[index].kind
            let group = list.resources[index].gvk.group
            for path in paths where path.applies(kind: kind, group: group) {
                node = node.updatingFieldPath(path.path, create: path.create) { current in
                    var mapping = current?.mapping ?? YAMLMapping(entries: [])
                    if current != nil, current?.mapping == nil, current?.isNull == false { return current }
                    for (key, value) in pairs {
                        if let position = mapping.entries.firstIndex(where: { $0.key.scalar?.value == key }) {
                            mapping.entries[position].value = .text(value)
                        } else {
                            mapping.entries.append(.init(key: .text(key), value: .text(value)))
                        }
                    }
                    return .mapping(mapping)
                }
            }
            list.resources[index].node = node
        }
    }

    // MARK: replicas

    static func replicas(_ spec: KustomizationSpec, on list: inout ResourceList) throws {
        for entry in spec.node["replicas"]?.sequence?.items ?? [] {
            guard let name = entry["name"]?.string, let count = entry["count"], count.int != nil else {
                throw KustomizeError("each replicas entry needs a name and an integer count", path: spec.path, mark: entry.mark)
            }
            for index in list.resources.indices where list.resources[index].name == name || list.resources[index].originalName == name {
                let kind = list.resources[index].kind
                guard ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"].contains(kind) else { continue }
                list.resources[index].node = list.resources[index].node.updating(["spec", "replicas"], create: true) { _ in
                    .scalar(YAMLScalar(value: count.scalar?.value ?? "1"))
                }
            }
        }
    }

    // MARK: images

    struct ImageRule {
        var name: String
        var newName: String?
        var newTag: String?
        var digest: String?
    }

    static func images(_ spec: KustomizationSpec, on list: inout ResourceList) throws {
        let rules = (spec.node["images"]?.sequence?.items ?? []).compactMap { entry -> ImageRule? in
            guard let name = entry["name"]?.string else { return nil }
            return ImageRule(name: name, newName: entry["newName"]?.scalar?.value, newTag: entry["newTag"]?.scalar?.value,
                             digest: entry["digest"]?.scalar?.value)
        }
        guard !rules.isEmpty else { return }
        for index in list.resources.indices {
            list.resources[index].node = updateImages(list.resources[index].node, rules)
        }
    }

    static func updateImages(_ node: YAMLNode, _ rules: [ImageRule]) -> YAMLNode {
        switch node {
        case .mapping(var mapping):
            for position in mapping.entries.indices {
                let key = mapping.entries[position].key.scalar?.value ?? ""
                var value = updateImages(mapping.entries[position].value, rules)
                if key == "containers" || key == "initContainers", var sequence = value.sequence {
                    sequence.items = sequence.items.map { container in
                        guard let image = container["image"]?.string else { return container }
                        return container.setting("image", .text(rewrite(image, rules)))
                    }
                    value = .sequence(sequence)
                }
                mapping.entries[position].value = value
            }
            return .mapping(mapping)
        case .sequence(var sequence):
            sequence.items = sequence.items.map { updateImages($0, rules) }
            return .sequence(sequence)
        case .scalar:
            return node
        }
    }

    static func rewrite(_ image: String, _ rules: [ImageRule]) -> String {
        var name = image
        var tag: String?
        var digest: String?
        if let at = name.firstIndex(of: "@") {
            digest = String(name[name.index(after: at)...])
            name = String(name[..<at])
        }
        if let colon = name.lastIndex(of: ":"), !name[name.index(after: colon)...].contains("/") {
            tag = String(name[name.index(after: colon)...])
            name = String(name[..<colon])
        }
        guard let rule = rules.first(where: { $0.name == name }) else { return image }
        let newName = rule.newName ?? name
        if let ruleDigest = rule.digest, !ruleDigest.isEmpty { return newName + "@" + ruleDigest }
        if let newTag = rule.newTag, !newTag.isEmpty { return newName + ":" + newTag }
        if let tag, let digest { return newName + ":" + tag + "@" + digest }
        if let tag { return newName + ":" + tag }
        if let digest { return newName + "@" + digest }
        return newName
    }
}

/// A fieldSpec: where a transformer writes, for which kinds, and whether it creates the field.
struct FieldPath {
    var path: String
    var kind: String?
    var group: String?
    var create: Bool

    func applies(kind resourceKind: String, group resourceGroup: String) -> Bool {
        if let kind, kind != resourceKind { return false }
        if let group, group != resourceGroup { return false }
        return true
    }
}

enum FieldPaths {
    static let templateKinds = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"]

    static func labelPaths(selectors: Bool, templates: Bool) -> [FieldPath] {
        var paths = [FieldPath(path: "metadata/labels", create: true)]
        if selectors {
            paths += [
                FieldPath(path: "spec/selector", kind: "Service", group: "", create: true),
                FieldPath(path: "spec/selector", kind: "ReplicationController", create: true),
                FieldPath(path: "spec/selector/matchLabels", kind: "Deployment", create: true),
                FieldPath(path: "spec/selector/matchLabels", kind: "ReplicaSet", create: true),
                FieldPath(path: "spec/selector/matchLabels", kind: "DaemonSet", create: true),
                FieldPath(path: "spec/selector/matchLabels", kind: "StatefulSet", create: true),
                FieldPath(path: "spec/selector/matchLabels", kind: "Job", create: false),
                FieldPath(path: "spec/jobTemplate/spec/selector/matchLabels", kind: "CronJob", create: false),
                FieldPath(path: "spec/selector/matchLabels", kind: "PodDisruptionBudget", create: false),
                FieldPath(path: "spec/podSelector/matchLabels", kind: "NetworkPolicy", create: false),
                FieldPath(path: "spec/ingress[]/from[]/podSelector/matchLabels", kind: "NetworkPolicy", create: false),
                FieldPath(path: "spec/egress[]/to[]/podSelector/matchLabels", kind: "NetworkPolicy", create: false),
                FieldPath(path: "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution[]/podAffinityTerm/labelSelector/matchLabels", create: false),
                FieldPath(path: "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution[]/labelSelector/matchLabels", create: false),
                FieldPath(path: "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution[]/podAffinityTerm/labelSelector/matchLabels", create: false),
                FieldPath(path: "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution[]/labelSelector/matchLabels", create: false),
                FieldPath(path: "spec/template/spec/topologySpreadConstraints[]/labelSelector/matchLabels", create: false),
            ]
        }
        if templates {
            paths += templateKinds.map { FieldPath(path: "spec/template/metadata/labels", kind: $0, create: true) }
            paths += [
                FieldPath(path: "spec/jobTemplate/metadata/labels", kind: "CronJob", create: true),
                FieldPath(path: "spec/jobTemplate/spec/template/metadata/labels", kind: "CronJob", create: true),
                FieldPath(path: "spec/volumeClaimTemplates[]/metadata/labels", kind: "StatefulSet", create: true),
            ]
        }
        return paths
    }

    static let annotationPaths: [FieldPath] = [FieldPath(path: "metadata/annotations", create: true)]
        + templateKinds.map { FieldPath(path: "spec/template/metadata/annotations", kind: $0, create: true) }
        + [
            FieldPath(path: "spec/jobTemplate/metadata/annotations", kind: "CronJob", create: true),
            FieldPath(path: "spec/jobTemplate/spec/template/metadata/annotations", kind: "CronJob", create: true),
        ]
}
