import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Proxmox

/// A Proxmox VE API served over HTTPS on 127.0.0.1 with a self-signed certificate.
public final class ProxmoxSimulator: Sendable {
    public let state: SimulatorState
    public let certificate: SelfSignedCertificate
    public let port: Int
    private let channel: Channel
    public static let tokenID = "homeport@pve!homeport"
    public static let tokenSecret = "5f0c4a1e-3b7d-4c2a-9e11-7d0b6a2c8f31"

    /// The API schema, loaded once per process.
    public static func loadSchema() throws -> APISchema {
        try SchemaCache.shared.schema()
    }

    /// Starts a simulator; nil when the API schema (shared data) is not available.
    public init(schema: APISchema, certificate: SelfSignedCertificate? = nil) async throws {
        let certificate = try certificate ?? SelfSignedCertificate()
        let state = SimulatorState(schema: schema, tokenID: Self.tokenID, tokenSecret: Self.tokenSecret)
        let contexts = ServerContexts(try Self.context(for: certificate))
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // The certificate is chosen per connection, so a test can swap it mid-session.
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: contexts.current))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(SimulatorHTTPHandler(state: state))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.state = state
        self.certificate = certificate
        self.contexts = contexts
    }

    private let contexts: ServerContexts

    static func context(for certificate: SelfSignedCertificate) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate.certificate)],
                                                            privateKey: .privateKey(certificate.privateKey))
        tls.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: tls)
    }

    /// From now on, new connections see `certificate` (the "wrong certificate" fault).
    public func present(_ certificate: SelfSignedCertificate) throws {
        contexts.current = try Self.context(for: certificate)
    }

    public var endpoint: URL { URL(string: "https://127.0.0.1:\(port)")! }

    /// A connection to this simulator, pinned to its certificate unless `trust` says otherwise.
    public func connection(trust: ProxmoxTrust? = nil, secret: String = ProxmoxSimulator.tokenSecret,
                           timing: ProxmoxTiming = ProxmoxSimulator.fastTiming) -> ProxmoxConnection {
        ProxmoxConnection(endpoint: endpoint, tokenID: Self.tokenID, tokenSecret: secret,
                          trust: trust ?? .fingerprint(certificate.fingerprint), timing: timing)
    }

    /// Short timeouts and polls so tests run quickly.
    public static let fastTiming = ProxmoxTiming(connectTimeout: .seconds(5), requestTimeout: .seconds(10), maxAttempts: 3,
                                                 initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100),
                                                 taskPollInterval: .milliseconds(10), taskTimeout: .seconds(20), lockTimeout: .seconds(10))

    public func stop() async {
        try? await channel.close()
    }
}

/// The TLS context new connections get.
private final class ServerContexts: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: NIOSSLContext
    init(_ context: NIOSSLContext) { stored = context }
    var current: NIOSSLContext {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

private final class SchemaCache: @unchecked Sendable {
    static let shared = SchemaCache()
    private let lock = NSLock()
    private var cached: APISchema?

    func schema() throws -> APISchema {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let candidates = [ProcessInfo.processInfo.environment["HOMEPORT_SHARED_DATA"].map { $0 + "/proxmox/pve-apidoc.json" },
                          "/work/shared/data/proxmox/pve-apidoc.json"].compactMap { $0 }
        var root = URL(fileURLWithPath: #filePath)
        var paths = candidates
        for _ in 0..<4 {
            root.deleteLastPathComponent()
            paths.insert(root.appendingPathComponent("../shared/data/proxmox/pve-apidoc.json").standardizedFileURL.path, at: 0)
        }
        guard let path = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw SimulatorError("pve-apidoc.json not found (shared/data/proxmox)")
        }
        let schema = try APISchema(apidocPath: path)
        cached = schema
        return schema
    }
}

/// Collects one HTTP request and answers it from the simulator state.
private final class SimulatorHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: SimulatorState
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(state: SimulatorState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            let parts = head.uri.split(separator: "?", maxSplits: 1).map(String.init)
            let response = state.handle(method: head.method.rawValue, path: parts.first ?? "/", query: parts.count > 1 ? parts[1] : "",
                                        body: body.readString(length: body.readableBytes) ?? "",
                                        contentType: head.headers.first(name: "Content-Type") ?? "",
                                        authorization: head.headers.first(name: "Authorization"))
            if response.withhold { return }
            let bytes = Array(response.body.jsonText.utf8)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json;charset=UTF-8")
            headers.add(name: "Content-Length", value: String(bytes.count))
            let close = state.closeConnections
            if close { headers.add(name: "Connection", value: "close") }
            let status = HTTPResponseStatus(statusCode: response.status, reasonPhrase: response.reason)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            if close {
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            } else {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
            self.head = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
