/// What a ``ProxmoxClient`` may send. Enforced in the client itself, below every caller, so a
/// read-only role (the MCP operations tools) cannot reach a state-changing endpoint.
public enum ProxmoxAccess: Sendable, Equatable {
    /// Every method.
    case readWrite
    /// GET only: any other request throws before it is sent.
    case readOnly

    /// Throws ``ProxmoxReadOnlyViolation`` when `method` is not allowed.
    func permit(_ method: ProxmoxMethod, _ path: String) throws {
        if self == .readOnly, method.isMutating {
            throw ProxmoxReadOnlyViolation(method: method.rawValue, path: path)
        }
    }
}

/// A state-changing request attempted through a read-only connection. Nothing was sent.
public struct ProxmoxReadOnlyViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public var method: String
    public var path: String

    public init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    public var description: String {
        "refused \(method) \(path): this Proxmox connection is read-only (only GET requests are sent); nothing was sent"
    }
}
