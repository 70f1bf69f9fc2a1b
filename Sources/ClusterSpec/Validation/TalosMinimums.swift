/// The smallest VM Talos runs on, per role (Talos system requirements).
public struct TalosMinimums: Sendable, Hashable {
    public var cores: Int
    public var memoryMiB: Int
    public var diskGiB: Int

    public static let controlPlane = TalosMinimums(cores: 2, memoryMiB: 2048, diskGiB: 10)
    public static let worker = TalosMinimums(cores: 1, memoryMiB: 1024, diskGiB: 10)

    public static func forRole(_ role: NodeRole) -> TalosMinimums {
        role == .controlPlane ? controlPlane : worker
    }
}

/// The VM ids Proxmox VE accepts.
public enum ProxmoxVMID {
    public static let valid = 100...999_999_999
}
