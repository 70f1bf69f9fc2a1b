/// Where the VMs live and how homeport reaches the Proxmox VE API.
public struct ProxmoxSettings: Sendable, Hashable {
    /// The API URL, e.g. `https://192.168.1.10:8006`.
    public var endpoint: String
    /// The Proxmox node VMs are placed on unless a node names another.
    public var node: String
    /// The API token id, `USER@REALM!TOKENNAME` (not secret; the token's secret is).
    public var tokenID: String
    /// A SOPS-encrypted file holding the token secret, relative to the repository.
    public var tokenSecretFile: String?
    /// The cluster's CA certificate (`pve-root-ca.pem`), relative to the repository.
    public var caFile: String?
    /// SHA-256 fingerprint of the API's TLS certificate, `AA:BB:…`.
    public var fingerprint: String?
    /// Storage for VM disks.
    public var storage: String
    /// Storage for ISO images.
    public var imageStorage: String
    /// The network bridge VMs attach to.
    public var bridge: String

    public init(endpoint: String, node: String, tokenID: String, tokenSecretFile: String? = nil, caFile: String? = nil,
                fingerprint: String? = nil, storage: String, imageStorage: String, bridge: String) {
        self.endpoint = endpoint
        self.node = node
        self.tokenID = tokenID
        self.tokenSecretFile = tokenSecretFile
        self.caFile = caFile
        self.fingerprint = fingerprint
        self.storage = storage
        self.imageStorage = imageStorage
        self.bridge = bridge
    }
}
