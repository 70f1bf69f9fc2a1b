import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Pins the Proxmox API to one leaf certificate by its SHA-256 fingerprint.
///
/// Two guards, both before any HTTP request: ``probe(host:port:expected:connectTimeout:)``
/// performs a TLS handshake whose NIOSSL custom verification callback refuses any other
/// certificate, and ``connectionGuard(expected:)`` re-checks the peer certificate of every
/// connection the HTTP client opens, before the connection is handed a request.
enum CertificatePinning {
    /// Connects, runs the handshake with a verification callback that accepts only `expected`,
    /// and closes. Throws ``ProxmoxError/fingerprintMismatch(expected:actual:)`` when the server
    /// shows another certificate.
    static func probe(host: String, port: Int, expected: String, connectTimeout: Duration) async throws {
        let seen = SeenFingerprint()
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            throw ProxmoxError.tls("cannot set up TLS: \(error)")
        }
        let serverName = isIPAddress(host) ? nil : host
        let handshake = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName) { certificates, promise in
                        guard let leaf = certificates.first, let der = try? leaf.toDERBytes() else {
                            promise.succeed(.failed)
                            return
                        }
                        let actual = CertificateFingerprint.sha256(der: der)
                        seen.set(actual)
                        promise.succeed(actual == expected ? .certificateVerified : .failed)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshake))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            handshake.fail(error)
            throw ProxmoxError.connection(method: "TLS", path: "\(host):\(port)", attempts: 1, message: "\(error)")
        }
        do {
            try await handshake.futureResult.get()
            try? await channel.close()
        } catch {
            try? await channel.close()
            if let actual = seen.value, actual != expected {
                throw ProxmoxError.fingerprintMismatch(expected: expected, actual: actual)
            }
            throw ProxmoxError.tls("\(error)")
        }
    }

    /// A check for every new HTTP/1.1 connection: the peer's leaf must have the pinned
    /// fingerprint, or the connection fails before it carries a request.
    static func connectionGuard(expected: String) -> @Sendable (Channel) -> EventLoopFuture<Void> {
        { channel in
            channel.nioSSL_peerCertificate().flatMapThrowing { certificate in
                guard let certificate else { throw ProxmoxError.tls("the server presented no certificate") }
                let actual = CertificateFingerprint.sha256(der: try certificate.toDERBytes())
                guard actual == expected else {
                    throw ProxmoxError.fingerprintMismatch(expected: expected, actual: actual)
                }
            }
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

/// The fingerprint the verification callback saw (set on the event loop, read after).
private final class SeenFingerprint: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    func set(_ value: String) { lock.lock(); stored = value; lock.unlock() }
    var value: String? { lock.lock(); defer { lock.unlock() }; return stored }
}

/// Completes a promise when the TLS handshake finishes or fails.
private final class HandshakeWatcher: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<Void>
    private var done = false

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, !done {
            done = true
            promise.succeed(())
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if !done { done = true; promise.fail(error) }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done { done = true; promise.fail(ProxmoxError.tls("the server closed the connection during the handshake")) }
        context.fireChannelInactive()
    }
}
