/// sops' flattened metadata for dotenv and INI: nested keys joined with `__map_` and list
/// indices with `__list_N`, e.g. `age__list_0__map_enc`.
public enum FlatMetadata {
    /// Builds a tree from flattened `(key, value)` pairs, in order.
    public static func unflatten(_ pairs: [(key: String, value: String)]) -> SOPSNode {
        var root = Box.map([])
        for (key, value) in pairs {
            let path = components(key)
            insert(&root, path: path[...], value: value)
        }
        return root.node
    }

    /// Flattens a tree into `(key, value)` pairs.
    public static func flatten(_ node: SOPSNode, prefix: String = "") -> [(key: String, value: String)] {
        var result: [(String, String)] = []
        switch node {
        case .mapping:
            for (key, value) in node.entries {
                result += flatten(value, prefix: prefix.isEmpty ? key : prefix + "__map_" + key)
            }
        case .sequence(let items):
            for (index, item) in items.enumerated() {
                result += flatten(item, prefix: prefix + "__list_\(index)")
            }
        case .scalar(let scalar):
            if case .bool(let value) = scalar {
                result.append((prefix, value ? "true" : "false"))
            } else {
                result.append((prefix, scalar.plaintext ?? ""))
            }
        case .comment:
            break
        }
        return result
    }

    private enum Component { case key(String), index(Int) }

    private static func components(_ key: String) -> [Component] {
        var result: [Component] = []
        var rest = Substring(key)
        // The first component is a plain key up to the first separator.
        func nextSeparator(_ text: Substring) -> Range<Substring.Index>? {
            let map = text.range(of: "__map_")
            let list = text.range(of: "__list_")
            switch (map, list) {
            case (nil, nil): return nil
            case (let m?, nil): return m
            case (nil, let l?): return l
            case (let m?, let l?): return m.lowerBound < l.lowerBound ? m : l
            }
        }
        var pendingIsList = false
        var first = true
        while true {
            let separator = nextSeparator(rest)
            let piece = separator.map { rest[..<$0.lowerBound] } ?? rest
            if first {
                result.append(.key(String(piece)))
                first = false
            } else if pendingIsList, let index = Int(piece) {
                result.append(.index(index))
            } else {
                result.append(.key(String(piece)))
            }
            guard let separator else { break }
            pendingIsList = rest[separator] == "__list_"
            rest = rest[separator.upperBound...]
        }
        return result
    }

    private indirect enum Box {
        case map([(String, Box)])
        case list([Box])
        case leaf(String)

        var node: SOPSNode {
            switch self {
            case .map(let entries): .mapping(entries.map { .entry(key: $0.0, value: $0.1.node, line: nil) })
            case .list(let items): .sequence(items.map(\.node))
            case .leaf(let text): .scalar(.string(text))
            }
        }
    }

    private static func insert(_ box: inout Box, path: ArraySlice<Component>, value: String) {
        guard let head = path.first else {
            box = .leaf(value)
            return
        }
        let rest = path.dropFirst()
        switch head {
        case .key(let key):
            var entries: [(String, Box)] = []
            if case .map(let existing) = box { entries = existing }
            if let position = entries.firstIndex(where: { $0.0 == key }) {
                insert(&entries[position].1, path: rest, value: value)
            } else {
                var child = Box.map([])
                if case .index? = rest.first { child = .list([]) }
                insert(&child, path: rest, value: value)
                entries.append((key, child))
            }
            box = .map(entries)
        case .index(let index):
            var items: [Box] = []
            if case .list(let existing) = box { items = existing }
            while items.count <= index { items.append(.map([])) }
            insert(&items[index], path: rest, value: value)
            box = .list(items)
        }
    }
}
