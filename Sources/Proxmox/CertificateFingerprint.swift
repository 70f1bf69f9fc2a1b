import Crypto
import Foundation

/// SHA-256 fingerprints in the form Proxmox prints them (`pvenode cert info`, `GET /nodes`):
/// uppercase hex bytes separated by colons.
public enum CertificateFingerprint {
    /// The fingerprint of a DER-encoded certificate.
    public static func sha256(der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The canonical form of a user-written fingerprint (any case, with or without colons),
    /// or nil when it is not 32 bytes of hex.
    public static func normalize(_ text: String) -> String? {
        let hex = text.uppercased().filter { $0 != ":" && !$0.isWhitespace }
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        var pairs: [String] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            pairs.append(String(hex[index..<next]))
            index = next
        }
        return pairs.joined(separator: ":")
    }
}
