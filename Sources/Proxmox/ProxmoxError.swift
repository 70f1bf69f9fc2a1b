import Foundation

/// What can go wrong talking to Proxmox, each case with a message that says what to do.
public enum ProxmoxError: Error, Sendable, CustomStringConvertible, Equatable {
    /// 401: the token id or secret is wrong.
    case unauthorized(tokenID: String)
    /// 403: the token lacks a privilege; `privilege` and `path` come from Proxmox's message.
    case forbidden(method: String, path: String, privilege: String?, aclPath: String?, message: String)
    /// The server's certificate does not have the pinned SHA-256 fingerprint.
    case fingerprintMismatch(expected: String, actual: String)
    /// The TLS handshake failed for another reason (unknown CA, wrong host name, ...).
    case tls(String)
    /// 400 with per-parameter errors.
    case invalidParameters(method: String, path: String, errors: [String: String])
    /// Any other non-2xx answer.
    case http(method: String, path: String, status: Int, message: String)
    /// The connection failed or timed out, after all retries.
    case connection(method: String, path: String, attempts: Int, message: String)
    /// A task ended with an error.
    case taskFailed(upid: String, exitStatus: String)
    /// A task did not finish in time.
    case taskTimeout(upid: String, seconds: Int)
    /// A VM stayed locked for longer than the client waits.
    case locked(vmid: Int, lock: String, seconds: Int)
    /// The answer was not what the API documents.
    case unexpectedResponse(method: String, path: String, detail: String)
    /// The configuration (endpoint, token) cannot work.
    case configuration(String)

    public var description: String {
        switch self {
        case .unauthorized(let tokenID):
            return "Proxmox rejected the API token (401): check that the token \(tokenID) exists and that PROXMOX_TOKEN_SECRET (or proxmox.tokenSecretFile) holds its secret"
        case .forbidden(let method, let path, let privilege, let aclPath, let message):
            if let privilege {
                return "Proxmox refused \(method) \(path) (403): the token lacks the privilege \(privilege) on \(aclPath ?? "/"); grant it with infrastructure/proxmox/proxmox_bootstrap_nocluster.sh (\(message))"
            }
            return "Proxmox refused \(method) \(path) (403): \(message)"
        case .fingerprintMismatch(let expected, let actual):
            return "TLS certificate mismatch: proxmox.fingerprint expects \(expected) but the server presented \(actual); no request was sent (if the host certificate changed on purpose, update proxmox.fingerprint from `pvenode cert info`)"
        case .tls(let message):
            return "TLS handshake with Proxmox failed: \(message) (set proxmox.caFile to the cluster's pve-root-ca.pem or proxmox.fingerprint to the certificate's SHA-256)"
        case .invalidParameters(let method, let path, let errors):
            let list = errors.keys.sorted().map { "\($0): \(errors[$0] ?? "")" }.joined(separator: "; ")
            return "Proxmox rejected the parameters of \(method) \(path) (400): \(list)"
        case .http(let method, let path, let status, let message):
            return "Proxmox answered \(method) \(path) with \(status): \(message)"
        case .connection(let method, let path, let attempts, let message):
            return "cannot reach Proxmox for \(method) \(path) after \(attempts) attempt(s): \(message)"
        case .taskFailed(let upid, let exitStatus):
            return "Proxmox task \(upid) failed: \(exitStatus)"
        case .taskTimeout(let upid, let seconds):
            return "Proxmox task \(upid) did not finish within \(seconds) s"
        case .locked(let vmid, let lock, let seconds):
            return "VM \(vmid) stayed locked (\(lock)) for \(seconds) s; check the Proxmox task list for a stuck task"
        case .unexpectedResponse(let method, let path, let detail):
            return "unexpected answer from Proxmox to \(method) \(path): \(detail)"
        case .configuration(let message):
            return message
        }
    }
}
