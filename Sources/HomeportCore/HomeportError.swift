/// A failure of the tool itself, as opposed to a ``Finding`` about the repository: bad
/// configuration, unreadable input, a refused operation. The CLI prints it and exits 1 or 2.
public struct HomeportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The user asked for something that cannot work (bad flag values, missing files): exit 2.
        case usage
        /// An operation failed: exit 1.
        case failure
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, at location: SourceLocation? = nil, kind: Kind = .failure) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public static func usage(_ message: String, at location: SourceLocation? = nil) -> HomeportError {
        HomeportError(message, at: location, kind: .usage)
    }

    public var description: String {
        if let location { return "\(location.description): \(message)" }
        return message
    }
}
