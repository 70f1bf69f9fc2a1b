import Manifests

/// Strategic merge patches as kustomize applies them: mappings merge recursively, `null`
/// deletes a field, `$patch: delete|replace` directives are honoured, and lists of built-in
/// kinds merge by their Kubernetes merge key (patch items first, then the untouched items);
/// every other list is replaced.
enum StrategicMerge {
    /// Field name → merge key, for lists of built-in kinds.
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
        "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "imagePullSecrets": "name", "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
        "resourceClaims": "name", "schedulingGates": "name", "conditions": "type", "ownerReferences": "uid",
    ]

    static let builtinGroups: Set<String> = ClusterScope.builtinGroups.union([
        "apps", "batch", "autoscaling", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "extensions",
        "resource.k8s.io", "storagemigration.k8s.io",
    ])

    /// Applies `patch` to `base`. Returns nil when the patch deletes the whole object.
    static func apply(_ patch: YAMLNode, to base: YAMLNode) -> YAMLNode? {
        let group = GroupVersionKind(apiVersion: base["apiVersion"]?.string ?? "", kind: "").group
        let builtin = builtinGroups.contains(group)
        if patch["$patch"]?.string == "delete" { return nil }
        var trimmed = patch
        // The patch never changes who the object is.
        for key in ["apiVersion", "kind"] { trimmed = trimmed.removing(key) }
        trimmed = trimmed.updating(["metadata"], create: false) { metadata in
            metadata.map { $0.removing("name").removing("namespace") }
        }
        return mergeMapping(base, trimmed, builtin: builtin, inContainer: false)
    }

    static func mergeMapping(_ base: YAMLNode, _ patch: YAMLNode, builtin: Bool, inContainer: Bool) -> YAMLNode {
        guard var result = base.mapping, let patchMapping = patch.mapping else { return stripDirectives(patch) }
        if patch["$patch"]?.string == "replace" { return stripDirectives(patch.removing("$patch")) }
        for entry in patchMapping.entries {
            guard let key = entry.key.scalar?.value, !key.hasPrefix("$") else { continue }
            let index = result.entries.firstIndex { $0.key.scalar?.value == key }
            if entry.value.isNull {
                if let index { result.entries.remove(at: index) }
                continue
            }
            if entry.value["$patch"]?.string == "delete" {
                if let index { result.entries.remove(at: index) }
                continue
            }
            guard let index else {
                result.entries.append(.init(key: entry.key, value: stripDirectives(entry.value)))
                continue
            }
            let current = result.entries[index].value
            switch (current, entry.value) {
            case (.mapping, .mapping):
                result.entries[index].value = mergeMapping(current, entry.value, builtin: builtin, inContainer: key == "containers")
            case (.sequence(let baseList), .sequence(let patchList)):
                result.entries[index].value = mergeList(baseList, patchList, field: key, builtin: builtin, parentIsContainer: inContainer)
            default:
                result.entries[index].value = stripDirectives(entry.value)
            }
        }
        return .mapping(result)
    }

    static func mergeList(_ base: YAMLSequence, _ patch: YAMLSequence, field: String, builtin: Bool, parentIsContainer: Bool) -> YAMLNode {
        if patch.items.contains(where: { $0["$patch"]?.string == "replace" }) {
            var copy = patch
            copy.items = patch.items.filter { $0["$patch"]?.string != "replace" }.map(stripDirectives)
            return .sequence(copy)
        }
        var mergeKey: String? = builtin ? mergeKeys[field] : nil
        if builtin, field == "ports" {
            let items = base.items + patch.items
            mergeKey = items.contains { $0["containerPort"] != nil } ? "containerPort" : "port"
        }
        guard let mergeKey, base.items.allSatisfy({ $0.mapping != nil }), patch.items.allSatisfy({ $0.mapping != nil }) else {
            var copy = patch
            copy.items = patch.items.map(stripDirectives)
            return .sequence(copy)
        }
        var remaining = base.items
        var merged: [YAMLNode] = []
        for item in patch.items {
            let keyValue = item[mergeKey]?.scalar?.value
            let matchIndex = remaining.firstIndex { $0[mergeKey]?.scalar?.value == keyValue && keyValue != nil }
            if item["$patch"]?.string == "delete" {
                if let matchIndex { remaining.remove(at: matchIndex) }
                continue
            }
            if let matchIndex {
                merged.append(mergeMapping(remaining[matchIndex], item, builtin: builtin, inContainer: field.lowercased().hasSuffix("containers")))
                remaining.remove(at: matchIndex)
            } else {
                merged.append(stripDirectives(item))
            }
        }
        var copy = base
        copy.items = merged + remaining
        return .sequence(copy)
    }

    /// The node without `$patch`-style directive keys (and without nulls that only meant "delete").
    static func stripDirectives(_ node: YAMLNode) -> YAMLNode {
        switch node {
        case .mapping(var mapping):
            mapping.entries = mapping.entries.compactMap { entry in
                guard let key = entry.key.scalar?.value, !key.hasPrefix("$") else { return nil }
                return .init(key: entry.key, value: stripDirectives(entry.value))
            }
            return .mapping(mapping)
        case .sequence(var sequence):
            sequence.items = sequence.items.map(stripDirectives)
            return .sequence(sequence)
        case .scalar:
            return node
        }
    }
}
