import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A request method of the Proxmox API.
public enum ProxmoxMethod: String, Sendable {
    case get = "GET", post = "POST", put = "PUT", delete = "DELETE"

    /// POST, PUT and DELETE change state; GET does not.
    public var isMutating: Bool { self != .get }
}

/// Observation points, used by tests to interrupt a run at an exact place.
public struct ProxmoxClientHooks: Sendable {
    /// Called after each state-changing request succeeded; throwing aborts the caller there.
    public var afterMutatingRequest: @Sendable (ProxmoxMethod, String) throws -> Void

    public init(afterMutatingRequest: @escaping @Sendable (ProxmoxMethod, String) throws -> Void = { _, _ in }) {
        self.afterMutatingRequest = afterMutatingRequest
    }
}

/// A Proxmox VE API client: token auth, TLS by CA file, system store or pinned fingerprint,
/// timeouts, bounded retries with exponential backoff on connection errors and transient 5xx,
/// waiting out config locks, and task polling. Call ``shutdown()`` when done.
public final class ProxmoxClient: Sendable {
    public let connection: ProxmoxConnection
    let http: HTTPClient
    let hooks: ProxmoxClientHooks
    private let pinCheck: PinCheck

    public init(connection: ProxmoxConnection, hooks: ProxmoxClientHooks = ProxmoxClientHooks()) throws {
        try connection.validate()
        self.connection = connection
        self.hooks = hooks
        var tls = TLSConfiguration.makeClientConfiguration()
        var configuration = HTTPClient.Configuration()
        var pinned: String?
        switch connection.trust {
        case .systemStore:
            tls.trustRoots = .default
        case .caFile(let path):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ProxmoxError.configuration("proxmox.caFile \(path) cannot be read")
            }
            tls.trustRoots = .file(path)
        case .fingerprint(let value):
            // The pin replaces chain verification; every connection is checked against it.
            let expected = CertificateFingerprint.normalize(value) ?? value
            pinned = expected
            tls.certificateVerification = .none
            configuration.http1_1ConnectionDebugInitializer = CertificatePinning.connectionGuard(expected: expected)
        }
        configuration.tlsConfiguration = tls
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        // A failed connection fails the request at once; this client retries with its own
        // bounded backoff instead of the pool retrying until the request deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: TimeAmount(connection.timing.connectTimeout),
                                      read: TimeAmount(connection.timing.requestTimeout))
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        pinCheck = PinCheck(expected: pinned)
    }

    /// Closes the connections. Required before the client is released.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Runs `body` with a client and shuts it down afterwards, whatever happens.
    public static func with<T: Sendable>(_ connection: ProxmoxConnection, hooks: ProxmoxClientHooks = ProxmoxClientHooks(),
                                         _ body: (ProxmoxClient) async throws -> T) async throws -> T {
        let client = try ProxmoxClient(connection: connection, hooks: hooks)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    // MARK: Requests

    public func get(_ path: String, _ parameters: [String: String] = [:]) async throws -> JSONValue {
        try await request(.get, path, parameters)
    }

    /// Sends one request and returns the envelope's `data`.
    public func request(_ method: ProxmoxMethod, _ path: String, _ parameters: [String: String] = [:]) async throws -> JSONValue {
        // Checked before anything touches the network, so a read-only caller cannot change a host
        // whatever code path it takes.
        try connection.access.permit(method, path)
        try await ensurePinnedCertificate()
        let timing = connection.timing
        var attempt = 0
        var backoff = timing.initialBackoff
        let lockDeadline = ContinuousClock.now + timing.lockTimeout
        while true {
            attempt += 1
            let outcome: Outcome
            do {
                outcome = try await send(method, path, parameters)
            } catch let error as ProxmoxError {
                throw error
            } catch {
                if let tlsError = Self.tlsFailure(error) { throw tlsError }
                guard attempt < timing.maxAttempts else {
                    throw ProxmoxError.connection(method: method.rawValue, path: path, attempts: attempt, message: Self.describe(error))
                }
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, timing.maxBackoff)
                continue
            }
            switch outcome {
            case .success(let data):
                if method.isMutating { try hooks.afterMutatingRequest(method, path) }
                return data
            case .failure(let status, let message, let errors):
                if let lock = Self.lockName(in: message) {
                    // A config lock is held by a running task: wait, without using up retries.
                    guard ContinuousClock.now < lockDeadline else {
                        throw ProxmoxError.locked(vmid: Self.vmid(in: path) ?? 0, lock: lock, seconds: Int(timing.lockTimeout.components.seconds))
                    }
                    attempt -= 1
                    try await Task.sleep(for: timing.taskPollInterval)
                    continue
                }
                let error = classify(method, path, status: status, message: message, errors: errors)
                if Self.isTransient(status: status, message: message, method: method), attempt < timing.maxAttempts {
                    try await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, timing.maxBackoff)
                    continue
                }
                throw error
            }
        }
    }

    private enum Outcome {
        case success(JSONValue)
        case failure(status: Int, message: String, errors: [String: String])
    }

    private func send(_ method: ProxmoxMethod, _ path: String, _ parameters: [String: String]) async throws -> Outcome {
        let query = FormEncoding.encode(parameters)
        var url = connection.apiBase + path
        var request = HTTPClientRequest(url: "")
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers.add(name: "Authorization", value: connection.authorizationHeader)
        request.headers.add(name: "Accept", value: "application/json")
        switch method {
        case .get, .delete:
            if !query.isEmpty { url += "?" + query }
        case .post, .put:
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: query))
        }
        request.url = url
        let response = try await http.execute(request, timeout: TimeAmount(connection.timing.requestTimeout))
        let body = try await response.body.collect(upTo: 32 * 1024 * 1024)
        let bytes = Data(body.readableBytesView)
        let json = JSONValue.parse(bytes)
        let status = Int(response.status.code)
        if (200..<300).contains(status) {
            guard let json else {
                throw ProxmoxError.unexpectedResponse(method: method.rawValue, path: path, detail: "the body is not JSON")
            }
            return .success(json["data"] ?? .null)
        }
        var message = json?["message"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if message.isEmpty { message = response.status.reasonPhrase }
        var errors: [String: String] = [:]
        for (key, value) in json?["errors"]?.object ?? [:] {
            errors[key] = value.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? value.jsonText
        }
        return .failure(status: status, message: message, errors: errors)
    }

    private func classify(_ method: ProxmoxMethod, _ path: String, status: Int, message: String, errors: [String: String]) -> ProxmoxError {
        switch status {
        case 401:
            return .unauthorized(tokenID: connection.tokenID)
        case 403:
            let (aclPath, privilege) = Self.missingPrivilege(in: message)
            return .forbidden(method: method.rawValue, path: path, privilege: privilege, aclPath: aclPath, message: message)
        case 400 where !errors.isEmpty:
            return .invalidParameters(method: method.rawValue, path: path, errors: errors)
        default:
            return .http(method: method.rawValue, path: path, status: status, message: message)
        }
    }

    private func ensurePinnedCertificate() async throws {
        guard let expected = pinCheck.expected, !pinCheck.isDone else { return }
        guard let host = connection.endpoint.host else { return }
        let timing = connection.timing
        var backoff = timing.initialBackoff
        for attempt in 1...timing.maxAttempts {
            do {
                try await CertificatePinning.probe(host: host, port: connection.endpoint.port ?? 8006, expected: expected,
                                                   connectTimeout: timing.connectTimeout)
                pinCheck.markDone()
                return
            } catch ProxmoxError.connection(_, _, _, let message) {
                // Only an unreachable host is retried; a wrong certificate never is.
                guard attempt < timing.maxAttempts else {
                    throw ProxmoxError.connection(method: "TLS", path: "\(host):\(connection.endpoint.port ?? 8006)", attempts: attempt, message: message)
                }
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, timing.maxBackoff)
            }
        }
    }

    // MARK: Error classification

    /// Proxmox's 403 message names the ACL path and privilege: `Permission check failed (/vms/214, VM.Allocate)`.
    static func missingPrivilege(in message: String) -> (String?, String?) {
        guard let open = message.range(of: "("), let close = message.range(of: ")", range: open.upperBound..<message.endIndex) else {
            return (nil, nil)
        }
        let inner = message[open.upperBound..<close.lowerBound].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard inner.count >= 2, inner[0].hasPrefix("/") else { return (nil, nil) }
        return (inner[0], inner[1...].joined(separator: ", "))
    }

    /// `VM is locked (create)` → `create`; `can't lock file …` → `file`.
    static func lockName(in message: String) -> String? {
        if let range = message.range(of: "VM is locked (") {
            let rest = message[range.upperBound...]
            return rest.split(separator: ")").first.map(String.init) ?? "unknown"
        }
        if message.contains("can't lock file") { return "config file" }
        return nil
    }

    /// Proxy and connection errors (502–504, 595–599) are retried for every method; a plain
    /// 500 is retried for reads and for the few messages that mean "try again".
    static func isTransient(status: Int, message: String, method: ProxmoxMethod) -> Bool {
        guard status >= 500 else { return false }
        if status == 501 { return false }
        if status != 500 { return true }
        let lowered = message.lowercased()
        if lowered.contains("got timeout") || lowered.contains("temporarily") || lowered.contains("try again") { return true }
        return !method.isMutating
    }

    static func vmid(in path: String) -> Int? {
        let parts = path.split(separator: "/")
        guard let index = parts.firstIndex(of: "qemu"), index + 1 < parts.count else { return nil }
        return Int(parts[index + 1])
    }

    static func tlsFailure(_ error: Error) -> ProxmoxError? {
        if let error = error as? NIOSSLError { return .tls("\(error)") }
        if let error = error as? BoringSSLError { return .tls("\(error)") }
        let text = String(describing: error)
        if text.contains("handshakeFailed") || text.contains("CERTIFICATE_VERIFY_FAILED") { return .tls(text) }
        return nil
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout { return "timed out" }
            if error == .connectTimeout { return "connection timed out" }
        }
        return String(describing: error)
    }
}

/// Whether the one-time fingerprint probe has run (a lock, not an actor, to stay synchronous).
private final class PinCheck: @unchecked Sendable {
    let expected: String?
    private let lock = NSLock()
    private var done = false
    init(expected: String?) { self.expected = expected }
    var isDone: Bool { lock.lock(); defer { lock.unlock() }; return done }
    func markDone() { lock.lock(); done = true; lock.unlock() }
}

/// `application/x-www-form-urlencoded`, keys sorted so requests are reproducible.
public enum FormEncoding {
    static let allowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    public static func encode(_ parameters: [String: String]) -> String {
        parameters.keys.sorted().map { key in
            "\(escape(key))=\(escape(parameters[key] ?? ""))"
        }.joined(separator: "&")
    }

    public static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Parses `a=1&b=2` (with `+` as space), keeping the last value of a repeated key.
    public static func decode(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[1])) : ""
            result[key] = value
        }
        return result
    }
}
