/// An inclusive range of IPv4 addresses, written `192.168.1.220-192.168.1.229`.
public struct IPv4Range: Sendable, Hashable, CustomStringConvertible {
    public var first: IPv4Address
    public var last: IPv4Address

    /// Why a range text was refused.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        case malformed
        case reversed

        public var description: String {
            switch self {
            case .malformed: "is not a range such as 192.168.1.220-192.168.1.229"
            case .reversed: "ends before it starts"
            }
        }
    }

    init(uncheckedFirst first: IPv4Address, last: IPv4Address) {
        self.first = first
        self.last = last
    }

    /// A range; nil when `last` comes before `first`.
    public init?(first: IPv4Address, last: IPv4Address) {
        guard first <= last else { return nil }
        self.init(uncheckedFirst: first, last: last)
    }

    /// Parses `a.b.c.d-a.b.c.e` (spaces around the dash are allowed).
    public static func parse(_ text: some StringProtocol) -> Result<IPv4Range, ParseError> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let first = IPv4Address(parts[0].trimmingSpaces), let last = IPv4Address(parts[1].trimmingSpaces)
        else { return .failure(.malformed) }
        guard let range = IPv4Range(first: first, last: last) else { return .failure(.reversed) }
        return .success(range)
    }

    /// The number of addresses in the range.
    public var count: UInt64 {
        UInt64(last.value - first.value) + 1
    }

    public func contains(_ address: IPv4Address) -> Bool {
        first <= address && address <= last
    }

    /// True when every address of `other` is in this range.
    public func contains(_ other: IPv4Range) -> Bool {
        first <= other.first && other.last <= last
    }

    public func overlaps(_ other: IPv4Range) -> Bool {
        first <= other.last && other.first <= last
    }

    public var description: String { "\(first)-\(last)" }
}

extension StringProtocol {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: Substring {
        let text = Substring(self)
        guard let start = text.firstIndex(where: { $0 != " " }), let end = text.lastIndex(where: { $0 != " " }) else { return "" }
        return text[start...end]
    }
}
