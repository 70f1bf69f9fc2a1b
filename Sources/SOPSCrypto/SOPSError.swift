/// Why a sops operation failed. Messages name files, key paths and recipients, never values.
public struct SOPSError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
