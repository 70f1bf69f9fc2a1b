import Foundation

/// The type tag sops writes after `type:` in an encrypted value.
public enum SOPSValueType: String, Sendable, Hashable, CaseIterable {
    case str, int, float, bool, time, comment, bytes
}

/// One `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` value, decoded from base64 but not decrypted.
public struct EncryptedValue: Sendable, Hashable {
    public var ciphertext: [UInt8]
    public var iv: [UInt8]
    public var tag: [UInt8]
    public var type: SOPSValueType

    public init(ciphertext: [UInt8], iv: [UInt8], tag: [UInt8], type: SOPSValueType) {
        self.ciphertext = ciphertext
        self.iv = iv
        self.tag = tag
        self.type = type
    }

    /// Why an `ENC[…]` string could not be read.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// True when `text` looks like a sops-encrypted value (whether or not it is well-formed).
    public static func looksEncrypted(_ text: String) -> Bool {
        text.hasPrefix("ENC[") && text.hasSuffix("]")
    }

    /// Parses the `ENC[…]` form. The messages never quote the value.
    public init(parsing text: String) throws {
        guard text.hasPrefix("ENC[AES256_GCM,"), text.hasSuffix("]") else {
            throw ParseError(description: "is not an ENC[AES256_GCM,…] value")
        }
        let body = text.dropFirst("ENC[AES256_GCM,".count).dropLast()
        var fields: [String: String] = [:]
        for part in body.split(separator: ",", omittingEmptySubsequences: false) {
            guard let colon = part.firstIndex(of: ":") else {
                throw ParseError(description: "has a field without ':'")
            }
            fields[String(part[..<colon])] = String(part[part.index(after: colon)...])
        }
        func bytes(_ name: String) throws -> [UInt8] {
            guard let field = fields[name] else { throw ParseError(description: "has no \(name) field") }
            guard let data = Data(base64Encoded: field) else { throw ParseError(description: "has a \(name) field that is not base64") }
            return [UInt8](data)
        }
        ciphertext = try bytes("data")
        iv = try bytes("iv")
        tag = try bytes("tag")
        guard let typeName = fields["type"], let type = SOPSValueType(rawValue: typeName) else {
            throw ParseError(description: "has an unknown or missing type")
        }
        guard tag.count == 16 else { throw ParseError(description: "has a tag of \(tag.count) bytes instead of 16") }
        guard iv.count >= 12 else { throw ParseError(description: "has an IV of \(iv.count) bytes (at least 12 needed)") }
        self.type = type
    }

    /// The `ENC[…]` text, with padded base64 as sops writes it.
    public var text: String {
        "ENC[AES256_GCM,data:\(Data(ciphertext).base64EncodedString()),iv:\(Data(iv).base64EncodedString()),tag:\(Data(tag).base64EncodedString()),type:\(type.rawValue)]"
    }
}

/// Values that point at a secret kept elsewhere instead of holding it: templates and
/// secret-manager references (`${VAR}`, `{{ … }}`, `op://…`, `vault:…`, `ref+…`).
public enum SecretReference {
    public static func isReference(_ value: String) -> Bool {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return true }
        if trimmed.contains("${") || trimmed.contains("{{") { return true }
        let prefixes = ["op://", "vault:", "ref+", "akv://", "gcpsm://", "awssm://", "sm://", "secretref:"]
        if prefixes.contains(where: { trimmed.hasPrefix($0) }) { return true }
        return trimmed.hasPrefix("<") && trimmed.hasSuffix(">")
    }
}
