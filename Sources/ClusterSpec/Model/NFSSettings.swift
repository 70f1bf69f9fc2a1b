/// The NFS export (Synology NAS) the cluster's storage uses.
public struct NFSSettings: Sendable, Hashable {
    /// An IPv4 address or a host name.
    public var server: String
    /// The absolute export path, e.g. `/volume1/k8s`.
    public var path: String
    /// The NFS protocol version, e.g. `4.1`.
    public var version: String?
    public var mountOptions: [String]

    public init(server: String, path: String, version: String? = nil, mountOptions: [String] = []) {
        self.server = server
        self.path = path
        self.version = version
        self.mountOptions = mountOptions
    }
}
