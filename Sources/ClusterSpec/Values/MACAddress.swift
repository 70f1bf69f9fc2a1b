/// An Ethernet MAC address, written as six colon-separated hex pairs (`BC:24:11:00:02:14`),
/// the form Proxmox uses in `net0`.
public struct MACAddress: Sendable, Hashable, CustomStringConvertible {
    public var octets: [UInt8]

    /// Parses six two-digit hex pairs separated by colons (either case).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard part.count == 2, part.allSatisfy(\.isHexDigit), let octet = UInt8(part, radix: 16) else { return nil }
            octets.append(octet)
        }
        self.octets = octets
    }

    /// A multicast address (lowest bit of the first octet set) cannot be a network card's own.
    public var isMulticast: Bool {
        (octets.first ?? 0) & 1 == 1
    }

    /// Upper-case, colon-separated: the form Proxmox writes back.
    public var description: String {
        octets.map { octet in
            let hex = String(octet, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
