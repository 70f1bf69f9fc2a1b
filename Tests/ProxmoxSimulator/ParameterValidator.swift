import Foundation
import Proxmox

/// Checks request parameters the way Proxmox's JSON schema verification does: unknown keys,
/// required keys, types, enums, ranges, patterns, lengths, string formats and property-string
/// sub-keys. Returns `param → message`, empty when valid.
public enum ParameterValidator {
    public static func validate(_ parameters: [String: String], against info: JSONValue) -> [String: String] {
        let properties = info["parameters"]?["properties"]?.object ?? [:]
        var errors: [String: String] = [:]
        for (key, value) in parameters {
            guard let schema = schemaFor(key, in: properties) else {
                errors[key] = "property is not defined in schema and the schema does not allow additional properties"
                continue
            }
            if let message = check(value, schema: schema) { errors[key] = message }
        }
        for (key, schema) in properties where !isOptional(schema) && !key.hasSuffix("[n]") {
            if parameters[key] == nil { errors[key] = "property is missing and it is not optional" }
        }
        return errors
    }

    /// `scsi0` → the schema of `scsi[n]`.
    static func schemaFor(_ key: String, in properties: [String: JSONValue]) -> JSONValue? {
        if let schema = properties[key] { return schema }
        let letters = key.prefix { !$0.isNumber }
        let digits = key.dropFirst(letters.count)
        guard !letters.isEmpty, !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
        return properties["\(letters)[n]"]
    }

    static func isOptional(_ schema: JSONValue) -> Bool {
        schema["optional"]?.bool == true || schema["default"] != nil && schema["optional"] != nil
    }

    /// Checks one value; nil when it is valid.
    static func check(_ value: String, schema: JSONValue) -> String? {
        let type = schema["type"]?.string ?? "string"
        switch type {
        case "integer":
            guard let number = Int(value.hasPrefix("+") ? String(value.dropFirst()) : value) else {
                return "type check ('integer') failed - got '\(value)'"
            }
            return range(Double(number), schema)
        case "number":
            guard let number = Double(value) else { return "type check ('number') failed - got '\(value)'" }
            return range(number, schema)
        case "boolean":
            guard ["0", "1", "true", "false", "yes", "no", "on", "off"].contains(value.lowercased()) else {
                return "type check ('boolean') failed - got '\(value)'"
            }
            return nil
        default:
            break
        }
        if let allowed = schema["enum"]?.array?.compactMap(\.string), !allowed.contains(value) {
            return "value '\(value)' does not have a value in the enumeration '\(allowed.joined(separator: ", "))'"
        }
        if let maxLength = schema["maxLength"]?.int, value.count > maxLength {
            return "value may only be \(maxLength) characters long"
        }
        if let pattern = schema["pattern"]?.string, !fullMatch(value, pattern) {
            return "value does not match the regex pattern"
        }
        if let format = schema["format"]?.object {
            return checkPropertyString(value, format: format)
        }
        if let format = schema["format"]?.string {
            if let subformat = StringFormats.propertyStringFormats[format] {
                return checkPropertyString(value, format: subformat)
            }
            if let message = StringFormats.check(value, format: format) { return message }
        }
        return nil
    }

    static func range(_ number: Double, _ schema: JSONValue) -> String? {
        if let minimum = schema["minimum"]?.double, number < minimum { return "value must have a minimum value of \(clean(minimum))" }
        if let maximum = schema["maximum"]?.double, number > maximum { return "value must have a maximum value of \(clean(maximum))" }
        return nil
    }

    static func clean(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// `key=value,key=value` with an optional bare first item for the default key.
    static func checkPropertyString(_ value: String, format: [String: JSONValue]) -> String? {
        let defaultKey = format.first { $0.value["default_key"]?.bool == true }?.key
        var seen: Set<String> = []
        for (key, item) in PropertyString.parse(value) {
            var name: String
            var itemValue = item
            if let key {
                name = key
            } else {
                guard let defaultKey else { return "invalid format - value without key, but schema does not define a default key" }
                name = defaultKey
            }
            guard var subschema = format[name] else { return "invalid format - unexpected property '\(name)'" }
            if let keyAlias = subschema["keyAlias"]?.string, let alias = subschema["alias"]?.string {
                // `virtio=MAC`: the key is the value of `model`, the value that of `macaddr`.
                seen.insert(keyAlias)
                if let message = checkSub(name, keyAlias, format) { return message }
                name = alias
                guard let target = format[alias] else { return "invalid format - unexpected property '\(alias)'" }
                subschema = target
            } else if let alias = subschema["alias"]?.string {
                name = alias
                guard let target = format[alias] else { return "invalid format - unexpected property '\(alias)'" }
                subschema = target
            }
            if seen.contains(name) { return "invalid format - duplicate key in comma-separated list property: \(name)" }
            seen.insert(name)
            itemValue = item
            if let message = check(itemValue, schema: subschema) { return "invalid format - \(name): \(message)" }
        }
        for (name, subschema) in format where subschema["alias"] == nil && !isOptional(subschema) && subschema["default"] == nil {
            if !seen.contains(name) { return "invalid format - property '\(name)' is missing" }
        }
        return nil
    }

    private static func checkSub(_ value: String, _ key: String, _ format: [String: JSONValue]) -> String? {
        guard let schema = format[key] else { return nil }
        return check(value, schema: schema).map { "invalid format - \(key): \($0)" }
    }

    static func fullMatch(_ value: String, _ pattern: String) -> Bool {
        value.range(of: "^(?:\(pattern))$", options: .regularExpression) != nil
    }
}

/// The string formats Proxmox registers (`PVE::JSONSchema::register_format`) that the
/// lifecycle calls use, as regular expressions or small checks.
enum StringFormats {
    static let ipv4 = #"(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}"#
    static let storageID = #"[a-z][a-z0-9\-_.]*[a-z0-9]"#

    static let propertyStringFormats: [String: [String: JSONValue]] = [
        "pve-qm-ipconfig": [
            "ip": .object(["type": .string("string"), "optional": .number(1), "format": .string("ipv4-cidr-or-dhcp")]),
            "gw": .object(["type": .string("string"), "optional": .number(1), "format": .string("ipv4")]),
            "ip6": .object(["type": .string("string"), "optional": .number(1)]),
            "gw6": .object(["type": .string("string"), "optional": .number(1)]),
        ],
        "pve-qm-boot": [
            "legacy": .object(["type": .string("string"), "optional": .number(1), "default_key": .number(1), "pattern": .string("[acdn]{1,4}")]),
            "order": .object(["type": .string("string"), "optional": .number(1), "format": .string("pve-qm-bootdev-list")]),
        ],
        // From the `typetext` of `hostpci[n]` in the API schema.
        "pve-qm-hostpci": [
            "host": .object(["type": .string("string"), "optional": .number(1), "default_key": .number(1),
                             "pattern": .string(#"([a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(\.[a-f0-9])?(;([a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(\.[a-f0-9])?)*"#)]),
            "mapping": .object(["type": .string("string"), "optional": .number(1), "format": .string("pve-configid")]),
            "pcie": .object(["type": .string("boolean"), "optional": .number(1)]),
            "rombar": .object(["type": .string("boolean"), "optional": .number(1)]),
            "x-vga": .object(["type": .string("boolean"), "optional": .number(1)]),
            "legacy-igd": .object(["type": .string("boolean"), "optional": .number(1)]),
            "driver": .object(["type": .string("string"), "optional": .number(1), "enum": .array([.string("vfio"), .string("keep")])]),
            "mdev": .object(["type": .string("string"), "optional": .number(1)]),
            "romfile": .object(["type": .string("string"), "optional": .number(1)]),
            "device-id": .object(["type": .string("string"), "optional": .number(1)]),
            "vendor-id": .object(["type": .string("string"), "optional": .number(1)]),
            "sub-device-id": .object(["type": .string("string"), "optional": .number(1)]),
            "sub-vendor-id": .object(["type": .string("string"), "optional": .number(1)]),
        ],
        "pve-vm-cpu-conf": [
            "cputype": .object(["type": .string("string"), "optional": .number(1), "default_key": .number(1), "pattern": .string(#"[0-9a-zA-Z_\-.]+"#)]),
            "flags": .object(["type": .string("string"), "optional": .number(1), "pattern": .string(#"[+-][a-zA-Z0-9\-_.]+(;[+-][a-zA-Z0-9\-_.]+)*"#)]),
            "hidden": .object(["type": .string("boolean"), "optional": .number(1)]),
            "hv-vendor-id": .object(["type": .string("string"), "optional": .number(1)]),
            "phys-bits": .object(["type": .string("string"), "optional": .number(1)]),
            "guest-phys-bits": .object(["type": .string("integer"), "optional": .number(1)]),
            "reported-model": .object(["type": .string("string"), "optional": .number(1)]),
        ],
    ]

    static let patterns: [String: String] = [
        "pve-configid": #"[a-zA-Z][a-zA-Z0-9_\-]+"#,
        "pve-node": #"[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?"#,
        "pve-storage-id": storageID,
        "pve-vmid": #"[1-9][0-9]{2,8}"#,
        "dns-name": #"([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?"#,
        "pve-tag-list": #"[a-zA-Z0-9_][a-zA-Z0-9_\-+.]*([;, ]+[a-zA-Z0-9_][a-zA-Z0-9_\-+.]*)*"#,
        "address-list": "\(ipv4)([ ,;]+\(ipv4))*",
        "ipv4": ipv4,
        "ipv4-cidr-or-dhcp": "(\(ipv4)/(3[0-2]|[12]?\\d)|dhcp)",
        "pve-qm-bootdev-list": #"(ide|sata|scsi|virtio|net|efidisk|tpmstate)\d+(;(ide|sata|scsi|virtio|net|efidisk|tpmstate)\d+)*"#,
        "pve-volume-id": "\(storageID):.+",
        "pve-volume-id-or-qm-path": "(\(storageID):.+|/.+|none|cdrom)",
        "pve-bridge-id": #"[-_.\w\d]+"#,
        "mac-addr": #"[a-fA-F0-9]{2}(:[a-fA-F0-9]{2}){5}"#,
        "disk-size": #"\d+(\.\d+)?[KMGT]?"#,
        "pve-storage-content": "(images|rootdir|vztmpl|iso|backup|snippets|import)",
        "pve-configid-list": #"[a-z][a-z_\-0-9]*(\[\w+\])?([ ,;]+[a-z][a-z_\-0-9]*)*"#,
    ]

    static func check(_ value: String, format: String) -> String? {
        guard let pattern = patterns[format] else { return nil }
        if ParameterValidator.fullMatch(value, pattern) { return nil }
        return "value '\(value)' does not look like a valid \(format)"
    }
}
