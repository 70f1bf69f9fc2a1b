/// An IPv4 network in CIDR notation, such as `192.168.1.0/24`.
public struct IPv4Network: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the network (host bits are zero).
    public var address: IPv4Address
    /// The prefix length, 0...32.
    public var prefixLength: Int

    /// Why a CIDR text was refused.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        case malformed
        /// The address has bits set beyond the prefix; `suggestion` is the network it probably means.
        case hostBitsSet(suggestion: IPv4Network)

        public var description: String {
            switch self {
            case .malformed: "is not a CIDR such as 192.168.1.0/24"
            case .hostBitsSet(let suggestion): "has host bits set; the network is \(suggestion)"
            }
        }
    }

    /// A network from an address and a prefix; host bits are cleared.
    public init(address: IPv4Address, prefixLength: Int) {
        let length = max(0, min(32, prefixLength))
        self.prefixLength = length
        self.address = IPv4Address(address.value & Self.mask(length))
    }

    /// Parses `a.b.c.d/n`, refusing addresses with host bits set.
    public static func parse(_ text: some StringProtocol) -> Result<IPv4Network, ParseError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]),
              !parts[1].isEmpty, parts[1].count <= 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let length = Int(parts[1]), length <= 32 else { return .failure(.malformed) }
        let network = IPv4Network(address: address, prefixLength: length)
        guard network.address == address else { return .failure(.hostBitsSet(suggestion: network)) }
        return .success(network)
    }

    /// The network mask for a prefix length.
    static func mask(_ length: Int) -> UInt32 {
        length == 0 ? 0 : UInt32.max << UInt32(32 - length)
    }

    /// The last address (the broadcast address for prefixes up to /30).
    public var lastAddress: IPv4Address {
        IPv4Address(address.value | ~Self.mask(prefixLength))
    }

    /// Every address of the network as a range.
    public var range: IPv4Range {
        IPv4Range(uncheckedFirst: address, last: lastAddress)
    }

    /// True when `address` lies inside the network.
    public func contains(_ address: IPv4Address) -> Bool {
        address.value & Self.mask(prefixLength) == self.address.value
    }

    /// True when the address is the network's own address or its broadcast address, which
    /// hosts cannot use (only for prefixes up to /30; /31 and /32 have no such addresses).
    public func isReserved(_ address: IPv4Address) -> Bool {
        prefixLength <= 30 && (address == self.address || address == lastAddress)
    }

    /// True when the two networks share any address.
    public func overlaps(_ other: IPv4Network) -> Bool {
        range.overlaps(other.range)
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
