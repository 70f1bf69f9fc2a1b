/// Talos's merge rules: mappings merge key by key, lists append, except the lists Talos
/// marks `merge:"replace"` and the lists it merges by an identifying key.
enum StrategicMerge {
    /// Values replaced as a whole (Talos's documented exceptions to "lists append").
    static let replacedPaths: Set<String> = [
        "cluster.network.podSubnets", "cluster.network.serviceSubnets", "cluster.apiServer.auditPolicy",
    ]
    /// Lists whose items are merged when they share one of the keys.
    static let keyedLists: [String: [String]] = [
        "machine.network.interfaces": ["interface", "deviceSelector"],
        "machine.network.interfaces.[].vlans": ["vlanId"],
        "cluster.apiServer.admissionControl": ["name"],
    ]

    static func merge(_ base: ConfigValue, _ patch: ConfigValue, path: [String]) -> ConfigValue {
        let dotted = path.joined(separator: ".")
        if replacedPaths.contains(dotted) { return patch }
        switch (base, patch) {
        case (.mapping, .mapping(let patchEntries)):
            var result = base
            for entry in patchEntries where entry.key != "$patch" {
                if entry.value["$patch"]?.stringValue == "delete" {
                    result.remove(entry.key)
                } else if let existing = result[entry.key] {
                    result.set(entry.key, merge(existing, entry.value, path: path + [entry.key]))
                } else {
                    result.set(entry.key, entry.value)
                }
            }
            return result
        case (.sequence(let baseItems), .sequence(let patchItems)):
            guard let keys = keyedLists[dotted] else { return .sequence(baseItems + patchItems) }
            var items = baseItems
            for item in patchItems {
                let match = items.firstIndex { existing in
                    keys.contains { key in existing[key] != nil && existing[key] == item[key] }
                }
                if let match {
                    items[match] = merge(items[match], item, path: path + ["[]"])
                } else {
                    items.append(item)
                }
            }
            return .sequence(items)
        case (_, .null):
            return base
        default:
            return patch
        }
    }
}

