import ClusterSpec
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HomeportCore

/// One HTTP request that delivers a test notification. Built without sending, so every
/// receiver's format is a unit test; `secrets` lists the values never to print.
struct AlertDeliveryRequest: Sendable, Equatable {
    var method: String
    var url: URL
    var headers: [String: String]
    var body: Data
    /// Credential values (tokens, webhook URLs) that must not appear in any output.
    var secrets: [String]

    /// Where the request goes, safe to print: scheme, host and port, never the path or query
    /// (webhook paths are credentials).
    var destination: String {
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(url.scheme ?? "https")://\(url.host ?? "?")\(port)"
    }
}

/// Builds the test notification for each receiver from the keys of the `alert-receiver` Secret.
enum AlertDelivery {
    /// Pushover's message API (the only receiver whose address is not in the Secret).
    static let pushoverEndpoint = "https://api.pushover.net/1/messages.json"

    /// The request that tells the receiver directly; throws naming a missing key or an e-mail receiver.
    static func direct(receiver: AlertSettings.Receiver, credentials: [String: String], message: String,
                       pushoverEndpoint: String = pushoverEndpoint) throws -> AlertDeliveryRequest {
        func value(_ key: String) throws -> String {
            guard let value = credentials[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw HomeportError("the alert-receiver Secret has no '\(key)', which the \(receiver.rawValue) receiver needs; set it with `homeport secrets edit \(AlertsCommand.secretPath)`")
            }
            return value
        }
        func url(_ text: String, key: String) throws -> URL {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
                throw HomeportError("the alert-receiver Secret's '\(key)' is not an http(s) URL")
            }
            return url
        }
        switch receiver {
        case .ntfy:
            let address = try value("url")
            return AlertDeliveryRequest(method: "POST", url: try url(address, key: "url"),
                                        headers: ["Title": "homeport alert test", "Tags": "white_check_mark", "Content-Type": "text/plain"],
                                        body: Data(message.utf8), secrets: [address])
        case .discord:
            let address = try value("url")
            return AlertDeliveryRequest(method: "POST", url: try url(address, key: "url"), headers: ["Content-Type": "application/json"],
                                        body: try json(["content": message]), secrets: [address])
        case .slack:
            let address = try value("url")
            return AlertDeliveryRequest(method: "POST", url: try url(address, key: "url"), headers: ["Content-Type": "application/json"],
                                        body: try json(["text": message]), secrets: [address])
        case .pushover:
            let user = try value("pushover-user-key")
            let token = try value("pushover-token")
            let form = [("token", token), ("user", user), ("title", "homeport alert test"), ("message", message)]
                .map { "\($0.0)=\(formEncoded($0.1))" }.joined(separator: "&")
            return AlertDeliveryRequest(method: "POST", url: try url(pushoverEndpoint, key: "pushover endpoint"),
                                        headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(form.utf8),
                                        secrets: [user, token])
        case .email:
            throw HomeportError.usage("e-mail is delivered by Alertmanager's SMTP client; test it through Alertmanager: `kubectl -n monitoring port-forward svc/alertmanager-operated 9093` and `homeport alerts test --alertmanager http://127.0.0.1:9093`")
        }
    }

    /// A test alert posted to Alertmanager's API, so it travels the cluster's own route to the
    /// configured receiver (the whole path a real alert takes). It resolves after five minutes.
    static func throughAlertmanager(_ base: String, message: String, now: Date = Date()) throws -> AlertDeliveryRequest {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: trimmed + "/api/v2/alerts"), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw HomeportError.usage("--alertmanager must be an http(s) URL such as http://127.0.0.1:9093")
        }
        let format = ISO8601DateFormatter()
        let alert: [[String: Any]] = [[
            "labels": ["alertname": "HomeportAlertTest", "severity": "warning", "source": "homeport"],
            "annotations": ["summary": message],
            "startsAt": format.string(from: now),
            "endsAt": format.string(from: now.addingTimeInterval(300)),
        ]]
        return AlertDeliveryRequest(method: "POST", url: url, headers: ["Content-Type": "application/json"],
                                    body: try JSONSerialization.data(withJSONObject: alert, options: [.sortedKeys]), secrets: [])
    }

    /// A ping of the heartbeat service, as the Watchdog route sends one.
    static func heartbeat(_ address: String) throws -> AlertDeliveryRequest {
        guard let url = URL(string: address), url.host != nil else { throw HomeportError("alerts.heartbeatURL is not a URL") }
        return AlertDeliveryRequest(method: "POST", url: url, headers: ["Content-Type": "text/plain"],
                                    body: Data("homeport alert test".utf8), secrets: [address])
    }

    /// Sends a request; a status outside 2xx is an error that names the destination, not the URL.
    static func send(_ request: AlertDeliveryRequest, timeout: TimeInterval = 15) async throws {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        let response: URLResponse
        do {
            (_, response) = try await URLSession.shared.data(for: urlRequest)
        } catch {
            throw HomeportError("could not reach \(request.destination): \(redacted(error.localizedDescription, request.secrets))")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw HomeportError("\(request.destination) answered HTTP \(status); check the receiver's credential in \(AlertsCommand.secretPath)")
        }
    }

    static func redacted(_ text: String, _ secrets: [String]) -> String {
        secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "[redacted]") }
    }

    private static func json(_ object: [String: String]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
