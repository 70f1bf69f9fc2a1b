/// Proxmox property strings such as `virtio=BC:24:11:00:02:14,bridge=vmbr0`.
public enum PropertyString {
    /// Splits into `(key, value)` pairs; a bare item gets the key `nil` (the default key).
    public static func parse(_ text: String) -> [(key: String?, value: String)] {
        text.split(separator: ",", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { return (String(parts[0]).trimmingCharacters(in: .whitespaces), String(parts[1])) }
            return (nil, String(item))
        }
    }

    /// The value of `key`, or of the bare first item when `defaultKey` is true.
    public static func value(_ key: String, in text: String, isDefaultKey: Bool = false) -> String? {
        for (itemKey, value) in parse(text) {
            if itemKey == key { return value }
            if itemKey == nil, isDefaultKey { return value }
        }
        return nil
    }

    /// A disk size such as `48G`, `512M`, `1T` in GiB (rounded down); nil when unreadable.
    public static func gibibytes(_ size: String) -> Int? {
        guard let unit = size.last else { return nil }
        let number = unit.isNumber ? size : String(size.dropLast())
        guard let value = Double(number) else { return nil }
        switch unit {
        case "T": return Int(value * 1024)
        case "G": return Int(value)
        case "M": return Int(value / 1024)
        case "K": return Int(value / 1024 / 1024)
        default: return Int(value / 1024 / 1024 / 1024)
        }
    }
}
