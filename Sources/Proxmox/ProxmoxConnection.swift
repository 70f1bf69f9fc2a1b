import Foundation

/// How the client trusts the Proxmox API's TLS certificate.
public enum ProxmoxTrust: Sendable, Equatable {
    /// The operating system's trust store.
    case systemStore
    /// Only the CA certificates in this PEM file (the cluster's `pve-root-ca.pem`).
    case caFile(String)
    /// Only a server whose leaf certificate has this SHA-256 fingerprint (`AA:BB:…`).
    case fingerprint(String)
}

/// Timeouts, retries and polling, in one place so tests can shorten them.
public struct ProxmoxTiming: Sendable {
    /// Time allowed to open a connection.
    public var connectTimeout: Duration
    /// Time allowed for one request and its answer.
    public var requestTimeout: Duration
    /// Attempts per request for connection errors and transient 5xx (1 = no retry).
    public var maxAttempts: Int
    /// First backoff delay; it doubles after each failed attempt.
    public var initialBackoff: Duration
    /// Upper bound for one backoff delay.
    public var maxBackoff: Duration
    /// Interval between task status polls.
    public var taskPollInterval: Duration
    /// Longest wait for one task.
    public var taskTimeout: Duration
    /// Longest wait for a VM config lock to clear.
    public var lockTimeout: Duration

    public init(connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(60),
                maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(8),
                taskPollInterval: Duration = .seconds(1), taskTimeout: Duration = .seconds(1800),
                lockTimeout: Duration = .seconds(120)) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.taskPollInterval = taskPollInterval
        self.taskTimeout = taskTimeout
        self.lockTimeout = lockTimeout
    }

    /// The defaults for a real host.
    public static let standard = ProxmoxTiming()
}

/// Everything needed to talk to one Proxmox VE API.
public struct ProxmoxConnection: Sendable {
    /// `https://HOST:8006` (a trailing `/api2/json` is accepted and ignored).
    public var endpoint: URL
    /// `USER@REALM!TOKENID`.
    public var tokenID: String
    /// The token's secret (a UUID); never printed.
    public var tokenSecret: String
    public var trust: ProxmoxTrust
    public var timing: ProxmoxTiming
    /// What the client may send: in the read-only role only GET requests leave the process.
    public var access: ProxmoxAccess

    public init(endpoint: URL, tokenID: String, tokenSecret: String, trust: ProxmoxTrust = .systemStore,
                timing: ProxmoxTiming = .standard, access: ProxmoxAccess = .readWrite) {
        self.endpoint = endpoint
        self.tokenID = tokenID
        self.tokenSecret = tokenSecret
        self.trust = trust
        self.timing = timing
        self.access = access
    }

    /// The same connection, limited to GET requests.
    public var readOnly: ProxmoxConnection {
        var copy = self
        copy.access = .readOnly
        return copy
    }

    /// Checks the parts that can be checked without the network.
    public func validate() throws {
        guard endpoint.scheme == "https", let host = endpoint.host, !host.isEmpty else {
            throw ProxmoxError.configuration("proxmox.endpoint must be an https:// URL such as https://192.168.1.10:8006, not \(endpoint.absoluteString)")
        }
        let parts = tokenID.split(separator: "!", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].contains("@"), !parts[1].isEmpty else {
            throw ProxmoxError.configuration("proxmox.tokenID must look like USER@REALM!TOKENID (e.g. homeport@pve!homeport), not \(tokenID)")
        }
        guard !tokenSecret.isEmpty else {
            throw ProxmoxError.configuration("the Proxmox token secret is empty: set PROXMOX_TOKEN_SECRET or proxmox.tokenSecretFile")
        }
        if case .fingerprint(let value) = trust, CertificateFingerprint.normalize(value) == nil {
            throw ProxmoxError.configuration("proxmox.fingerprint must be 32 hex bytes separated by colons (AA:BB:…), not \(value)")
        }
    }

    /// The `Authorization` header value. It contains the secret: never log it.
    var authorizationHeader: String { "PVEAPIToken=\(tokenID)=\(tokenSecret)" }

    /// The base URL of the JSON API, `https://HOST:PORT/api2/json`.
    var apiBase: String {
        var text = endpoint.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/api2/json") { return text }
        return text + "/api2/json"
    }
}
