import Foundation
import HomeportCore

extension BootstrapEnvironment {
    /// The same environment in the read-only role: its Proxmox connection sends only GET
    /// requests and its runner runs only read commands. Nothing reached through it can change
    /// a host, a node or the cluster, whatever stage code calls.
    public func readOnly() -> BootstrapEnvironment {
        var copy = self
        copy.proxmox = proxmox?.readOnly
        copy.runner = runner is ReadOnlyCommandRunner ? runner : ReadOnlyCommandRunner(wrapping: runner)
        // Credentials are only used to write (Flux's Git Secret); the read-only role has no use for them.
        copy.gitCredentials = nil
        return copy
    }
}
