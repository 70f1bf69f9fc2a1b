import Crypto
import Foundation
import HomeportCore
import X509

/// The client configuration talosctl reads: one context per cluster with the control-plane
/// endpoints and an admin certificate signed by the cluster's OS CA.
public struct Talosconfig: Sendable {
    public var context: String
    /// Control-plane node addresses. Never the VIP: it only exists once etcd is up, and
    /// talosctl must reach nodes before that.
    public var endpoints: [String]
    public var nodes: [String]
    /// base64(PEM) of the OS CA certificate, the admin certificate and its key.
    public var ca: String
    public var crt: String
    public var key: String

    /// How long the admin certificate is valid: one year.
    public static let adminValidity: TimeInterval = 365 * 24 * 3600

    /// A talosconfig with a new admin certificate. The admin key follows the CA's key type
    /// (Ed25519 for Talos's OS CA); `random` and `now` make it reproducible in tests.
    public static func generate(context: String, endpoints: [String], nodes: [String] = [], secrets: SecretsBundle,
                                random: any RandomSource = SystemRandomSource(), now: Date = Date()) throws -> Talosconfig {
        let caCertificate = try secrets.os.certificate()
        let caKey = try secrets.os.privateKey()
        guard let issuerKey = caKey.certificateKey else { throw HomeportError("the OS CA key must be Ed25519 or ECDSA") }
        let generator = SecretsGenerator(random: random, now: now)
        let adminKey: TalosPrivateKey
        switch caKey {
        case .p256: adminKey = .p256(try generator.newP256Key())
        default: adminKey = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: random.bytes(32)))
        }
        guard let subjectKey = adminKey.certificateKey else { throw HomeportError("cannot use the admin key") }
        let extensions = try Certificate.Extensions {
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.clientAuth])
            Critical(BasicConstraints.notCertificateAuthority)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: generator.serialNumber(), publicKey: subjectKey.publicKey,
            notValidBefore: now, notValidAfter: now.addingTimeInterval(adminValidity),
            issuer: caCertificate.subject, subject: try organization("os:admin"),
            signatureAlgorithm: generator.signatureAlgorithm(for: caKey), extensions: extensions, issuerPrivateKey: issuerKey)
        return Talosconfig(context: context, endpoints: endpoints, nodes: nodes, ca: secrets.os.crt,
                           crt: Base64PEM.encode(try certificate.serializeAsPEM().pemString),
                           key: Base64PEM.encode(adminKey.pem))
    }

    /// The YAML talosctl reads.
    public var value: ConfigValue {
        .map([
            ("context", .string(context)),
            ("contexts", .mapping([(key: context, value: .map([
                ("endpoints", .strings(endpoints)),
                ("nodes", nodes.isEmpty ? nil : .strings(nodes)),
                ("ca", .string(ca)),
                ("crt", .string(crt)),
                ("key", .string(key)),
            ]))])),
        ])
    }

    public var yaml: String { GoYAMLEncoder.encode(value) }
}
