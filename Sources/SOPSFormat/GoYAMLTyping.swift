import Foundation
import Manifests

/// Types scalars the way sops does (go-yaml v3), because the type tag and the MAC bytes of
/// every value depend on it: `0x1F` is the int 31, `1e3` the float 1000, a timestamp a time,
/// `yes` a string.
public enum GoYAMLTyping {
    /// The sops type of a YAML scalar.
    public static func scalar(_ scalar: YAMLScalar) -> SOPSScalar {
        if let tag = scalar.tag {
            switch tag {
            case "tag:yaml.org,2002:str", "!!str": return .string(scalar.value)
            case "tag:yaml.org,2002:null", "!!null": return .null
            case "tag:yaml.org,2002:bool", "!!bool":
                return resolvePlain(scalar.value).isBool ? resolvePlain(scalar.value) : .string(scalar.value)
            case "tag:yaml.org,2002:int", "!!int", "tag:yaml.org,2002:float", "!!float",
                 "tag:yaml.org,2002:timestamp", "!!timestamp":
                return resolvePlain(scalar.value)
            default: return .string(scalar.value)
            }
        }
        guard scalar.style == .plain else { return .string(scalar.value) }
        return resolvePlain(scalar.value)
    }

    /// Resolves an untagged plain scalar.
    public static func resolvePlain(_ text: String) -> SOPSScalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float("+Inf")
        case "-.inf", "-.Inf", "-.INF": return .float("-Inf")
        case ".nan", ".NaN", ".NAN": return .float("NaN")
        default: break
        }
        guard let first = text.unicodeScalars.first, "+-.0123456789".unicodeScalars.contains(first) else {
            return .string(text)
        }
        if let time = timestamp(text) { return .time(time) }
        let plain = text.replacingOccurrences(of: "_", with: "")
        if let integer = goParseInt(plain) { return .int(integer) }
        if isYAMLFloat(plain), let value = Double(plain) { return .float(formatFloat(value)) }
        return .string(text)
    }

    /// Go's `strconv.ParseInt(s, 0, 64)` (then `ParseUint`): sign, 0x/0o/0b prefixes, a
    /// leading 0 meaning octal. Returns the decimal text.
    static func goParseInt(_ text: String) -> String? {
        var body = Substring(text)
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        var radix = 10
        let lower = body.lowercased()
        if lower.hasPrefix("0x") { radix = 16; body = body.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; body = body.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; body = body.dropFirst(2) }
        else if body.count > 1, body.first == "0" { radix = 8; body = body.dropFirst() }
        guard !body.isEmpty, let magnitude = UInt64(body, radix: radix) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == 0 ? "0" : "-\(magnitude)"
        }
        return String(magnitude)
    }

    // ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
    static func isYAMLFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            var count = 0
            while let byte = bytes.first, byte >= 48, byte <= 57 { bytes = bytes.dropFirst(); count += 1 }
            return count
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst(); _ = digits() }
        }
        if let byte = bytes.first, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that round-trip, never
    /// an exponent.
    public static func formatFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let description = "\(value)"  // shortest round-trip, maybe with an exponent
        var mantissa = Substring(description)
        var exponent = 0
        if let e = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = description[..<e]
            exponent = Int(description[description.index(after: e)...]) ?? 0
        }
        var negative = false
        if mantissa.first == "-" { negative = true; mantissa = mantissa.dropFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count + exponent
        // Normalise: drop leading zeros (keeping the point where it belongs).
        while digits.count > 1, digits.first == "0" { digits.removeFirst(); pointPosition -= 1 }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        if digits == "0" { return negative ? "-0" : "0" }
        var result: String
        if pointPosition <= 0 {
            result = "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            result = digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let index = digits.index(digits.startIndex, offsetBy: pointPosition)
            result = digits[..<index] + "." + digits[index...]
        }
        return negative ? "-" + result : result
    }

    /// go-yaml's timestamp forms, re-formatted as Go's `MarshalText` (RFC 3339 with
    /// nanoseconds, trailing zeros trimmed).
    static func timestamp(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, bytes.count <= 40, bytes[4] == UInt8(ascii: "-") else { return nil }
        guard let regex = RegexCache.shared.regex(
            #"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$"#),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ index: Int) -> String? {
            guard let range = Range(match.range(at: index), in: text) else { return nil }
            return String(text[range])
        }
        guard let year = group(1), let month = Int(group(2) ?? ""), let day = Int(group(3) ?? ""),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        guard let separator = group(4) else {
            return "\(year)-\(two(month))-\(two(day))T00:00:00Z"
        }
        // "T" forms need a zone; the space form must not have one.
        let zone = group(9)
        if separator != " ", zone == nil { return nil }
        if separator == " ", zone != nil { return nil }
        guard let hour = Int(group(5) ?? ""), let minute = Int(group(6) ?? ""), let second = Int(group(7) ?? ""),
              hour < 24, minute < 60, second < 60 else { return nil }
        var fraction = String((group(8) ?? "").prefix(10))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if fraction == "." { fraction = "" }
        let zoneText = (zone == nil || zone == "Z" || zone == "+00:00") ? "Z" : zone ?? "Z"
        return "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))\(fraction)\(zoneText)"
    }
}

extension SOPSScalar {
    var isBool: Bool {
        if case .bool = self { return true }
        return false
    }
}
