import Crypto
import _CryptoExtras
import Foundation
import HomeportCore
import SwiftASN1
import X509

/// Generates a new secrets bundle as `talosctl gen secrets` does for a given version contract.
public struct SecretsGenerator: Sendable {
    /// How long the cluster CAs are valid: 87600 hours, as Talos does.
    public static let caValidity: TimeInterval = 87_600 * 3600

    public var random: any RandomSource
    public var now: Date
    /// Used instead of a new service-account key when set (tests reuse a known key rather
    /// than pay for RSA-4096 generation).
    public var serviceAccountKey: TalosPrivateKey?

    public init(random: any RandomSource = SystemRandomSource(), now: Date = Date(), serviceAccountKey: TalosPrivateKey? = nil) {
        self.random = random
        self.now = now
        self.serviceAccountKey = serviceAccountKey
    }

    /// A new bundle. The service-account key is RSA-4096 for contracts that require it and
    /// ECDSA P-256 before.
    public func generate(contract: TalosContract) throws -> SecretsBundle {
        let osKey = try Curve25519.Signing.PrivateKey(rawRepresentation: random.bytes(32))
        let os = try certificateAuthority(key: .ed25519(osKey), subject: organization("talos"))
        let etcd = try certificateAuthority(key: .p256(newP256Key()), subject: organization("etcd"))
        let kubernetes = try certificateAuthority(key: .p256(newP256Key()), subject: organization("kubernetes"))
        let aggregator = try certificateAuthority(key: .p256(newP256Key()), subject: commonName("front-proxy"))
        let accountKey: TalosPrivateKey
        if let serviceAccountKey {
            accountKey = serviceAccountKey
        } else if contract.rsaServiceAccountKey {
            accountKey = .rsa(try _RSA.Signing.PrivateKey(keySize: .bits4096))
        } else {
            accountKey = .p256(try newP256Key())
        }
        return SecretsBundle(
            clusterID: base64URL(random.bytes(32)),
            clusterSecret: Data(random.bytes(32)).base64EncodedString(),
            bootstrapToken: TalosToken.generate(using: random),
            aescbcEncryptionSecret: contract.secretboxEncryption ? nil : Data(random.bytes(32)).base64EncodedString(),
            secretboxEncryptionSecret: contract.secretboxEncryption ? Data(random.bytes(32)).base64EncodedString() : nil,
            trustdToken: TalosToken.generate(using: random),
            etcd: etcd, kubernetes: kubernetes, kubernetesAggregator: aggregator,
            serviceAccountKey: Base64PEM.encode(accountKey.pem),
            os: os)
    }

    /// A P-256 key from the random source (a scalar out of range is vanishingly rare; retry).
    func newP256Key() throws -> P256.Signing.PrivateKey {
        for _ in 0..<8 {
            if let key = try? P256.Signing.PrivateKey(rawRepresentation: random.bytes(32)) { return key }
        }
        throw HomeportError("cannot derive a P-256 key from the random source")
    }

    /// A 128-bit positive serial number, as Go's `rand.Int(2^128)` gives.
    func serialNumber() -> Certificate.SerialNumber {
        var bytes = random.bytes(16)
        while bytes.count > 1 && bytes[0] == 0 { bytes.removeFirst() }
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return Certificate.SerialNumber(bytes: bytes)
    }

    /// A self-signed CA: KeyUsage CertSign|DigitalSignature, ExtKeyUsage server+client auth,
    /// CA:TRUE, subject key id = SHA-1 of the public key (what Go derives).
    func certificateAuthority(key: TalosPrivateKey, subject: DistinguishedName) throws -> EncodedKeyPair {
        guard let signingKey = key.certificateKey else { throw HomeportError("a CA key must be Ed25519 or ECDSA") }
        let extensions = try Certificate.Extensions {
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            SubjectKeyIdentifier(hash: signingKey.publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: serialNumber(), publicKey: signingKey.publicKey,
            notValidBefore: now, notValidAfter: now.addingTimeInterval(Self.caValidity),
            issuer: subject, subject: subject,
            signatureAlgorithm: signatureAlgorithm(for: key), extensions: extensions, issuerPrivateKey: signingKey)
        return EncodedKeyPair(certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pem)
    }

    func signatureAlgorithm(for key: TalosPrivateKey) -> Certificate.SignatureAlgorithm {
        switch key {
        case .ed25519: .ed25519
        case .p256: .ecdsaWithSHA256
        case .rsa: .sha256WithRSAEncryption
        }
    }

    func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}

/// Subjects as Go writes them: PrintableString values.
func organization(_ name: String) throws -> DistinguishedName {
    DistinguishedName([RelativeDistinguishedName(RelativeDistinguishedName.Attribute(
        type: .RDNAttributeType.organizationName, value: try .init(printableString: name)))])
}

func commonName(_ name: String) throws -> DistinguishedName {
    DistinguishedName([RelativeDistinguishedName(RelativeDistinguishedName.Attribute(
        type: .RDNAttributeType.commonName, value: try .init(printableString: name)))])
}
