/// Where the cluster's alerts go (`alerts:` in the cluster definition). The receiver's
/// credential is never here: it is the SOPS Secret `alert-receiver` of platform/monitoring.
public struct AlertSettings: Sendable, Hashable {
    /// The notification services Alertmanager can deliver to in the reference homelab.
    public enum Receiver: String, Sendable, Hashable, CaseIterable {
        case ntfy, discord, slack, pushover, email
    }

    public var receiver: Receiver
    /// The dead-man's switch: an external service (healthchecks.io, Uptime Kuma, …) that
    /// Alertmanager's always-firing Watchdog pings every few minutes; silence means the box is down.
    public var heartbeatURL: String?
    /// Required when `receiver` is `email`.
    public var email: EmailSettings?

    public init(receiver: Receiver, heartbeatURL: String? = nil, email: EmailSettings? = nil) {
        self.receiver = receiver
        self.heartbeatURL = heartbeatURL
        self.email = email
    }
}

/// The SMTP delivery of e-mail alerts; the password is the Secret's `smtp-password`.
public struct EmailSettings: Sendable, Hashable {
    public var to: String
    public var from: String
    /// `HOST:PORT` of the SMTP server, e.g. `smtp.example.com:587`.
    public var smarthost: String

    public init(to: String, from: String, smarthost: String) {
        self.to = to
        self.from = from
        self.smarthost = smarthost
    }
}
