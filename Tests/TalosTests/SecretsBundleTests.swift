import Crypto
import Foundation
import Testing
import TestSupport
import X509
@testable import Talos

@Suite("Talos secrets bundles")
struct SecretsBundleTests {
    /// A reused service-account key: only one test pays for RSA-4096.
    func reusedServiceAccountKey() throws -> TalosPrivateKey? {
        guard let golden = try TalosFixtures.goldenSecrets(), let pem = Base64PEM.decode(golden.serviceAccountKey) else { return nil }
        return try TalosPrivateKey(pem: pem)
    }

    func generate(seed: String, contract: TalosContract = TalosContract(1, 13)) throws -> SecretsBundle? {
        guard let key = try reusedServiceAccountKey() else { return nil }
        return try SecretsGenerator(random: SeededRandomSource(seed: seed), now: TalosFixtures.now, serviceAccountKey: key)
            .generate(contract: contract)
    }

    @Test("talosctl's sample bundle is read and written back byte for byte")
    func sampleRoundTrip() throws {
        guard let text = try TalosFixtures.text("secrets-sample.yaml") else { return }
        let bundle = try SecretsBundle.parse(text, path: "secrets-sample.yaml")
        #expect(bundle.yaml == text)
    }

    @Test("the golden bundle is read losslessly (only its comment line is not data)")
    func goldenRoundTrip() throws {
        guard let text = try TalosFixtures.text("golden-v1.13/secrets.yaml") else { return }
        let bundle = try SecretsBundle.parse(text, path: "secrets.yaml")
        let withoutComment = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        #expect(bundle.yaml == withoutComment)
        #expect(try SecretsBundle.parse(bundle.yaml, path: "again.yaml") == bundle)
    }

    @Test("a generated bundle reads back identically and has talosctl's shape")
    func generatedRoundTrip() throws {
        guard let bundle = try generate(seed: "round-trip") else { return }
        let again = try SecretsBundle.parse(bundle.yaml, path: "secrets.yaml")
        #expect(again == bundle)
        #expect(TalosToken.isValid(bundle.bootstrapToken))
        #expect(TalosToken.isValid(bundle.trustdToken))
        #expect(Data(base64Encoded: bundle.clusterSecret)?.count == 32)
        #expect(Data(base64Encoded: bundle.secretboxEncryptionSecret ?? "")?.count == 32)
        #expect(bundle.aescbcEncryptionSecret == nil)
        let urlDecoded = bundle.clusterID.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        #expect(Data(base64Encoded: urlDecoded)?.count == 32)
        #expect(!bundle.clusterID.contains("+") && !bundle.clusterID.contains("/"))
    }

    @Test("the same seed and clock give the same bundle, except ECDSA signature bytes")
    func reproducible() throws {
        guard let first = try generate(seed: "same"), let second = try generate(seed: "same"),
              let other = try generate(seed: "different") else { return }
        #expect(first.clusterID == second.clusterID && first.clusterSecret == second.clusterSecret)
        #expect(first.bootstrapToken == second.bootstrapToken && first.trustdToken == second.trustdToken)
        #expect(first.os == second.os, "Ed25519 signatures are deterministic")
        for (a, b) in [(first.etcd, second.etcd), (first.kubernetes, second.kubernetes), (first.kubernetesAggregator, second.kubernetesAggregator)] {
            #expect(a.key == b.key)
            let certificateA = try a.certificate(), certificateB = try b.certificate()
            #expect(certificateA.tbsCertificateBytes == certificateB.tbsCertificateBytes)
            #expect(certificateA.publicKey.isValidSignature(certificateB.signature, for: certificateA))
        }
        #expect(first.clusterID != other.clusterID && first.os.key != other.os.key)
    }

    @Test("CAs: key types, subjects, ten-year validity, CA extensions, self-signatures")
    func certificateAuthorities() throws {
        guard let bundle = try generate(seed: "cas") else { return }
        let expectations: [(EncodedKeyPair, String, String)] = [
            (bundle.os, "Ed25519", "O=talos"), (bundle.etcd, "ECDSA P-256", "O=etcd"),
            (bundle.kubernetes, "ECDSA P-256", "O=kubernetes"), (bundle.kubernetesAggregator, "ECDSA P-256", "CN=front-proxy"),
        ]
        for (pair, algorithm, subject) in expectations {
            let certificate = try pair.certificate()
            let key = try pair.privateKey()
            #expect(key.algorithm == algorithm)
            #expect(certificate.publicKey == key.certificateKey?.publicKey, "\(subject): key and certificate belong together")
            #expect(certificate.subject.description == subject)
            #expect(certificate.issuer == certificate.subject)
            #expect(certificate.notValidBefore == TalosFixtures.now)
            #expect(certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore) == 87_600 * 3600)
            #expect(try certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: nil))
            #expect(try certificate.extensions.keyUsage == KeyUsage(digitalSignature: true, keyCertSign: true))
            #expect(try certificate.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth, .clientAuth]))
            let expectedKeyID = Insecure.SHA1.hash(data: Array(certificate.publicKey.subjectPublicKeyInfoBytes.suffix(key.algorithm == "Ed25519" ? 32 : 65)))
            #expect(try certificate.extensions.subjectKeyIdentifier?.keyIdentifier == ArraySlice(expectedKeyID))
            #expect(certificate.serialNumber.bytes.count >= 15 && certificate.serialNumber.bytes.count <= 17)
            #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate), "\(subject) is self-signed")
        }
        let pem = try #require(Base64PEM.decode(bundle.os.key))
        #expect(pem.hasPrefix("-----BEGIN ED25519 PRIVATE KEY-----\n"))
        #expect(try #require(Base64PEM.decode(bundle.etcd.key)).hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
    }

    @Test("the v1.13 contract generates an RSA-4096 service-account key (the one RSA test)")
    func rsaServiceAccountKey() throws {
        let bundle = try SecretsGenerator(random: SeededRandomSource(seed: "rsa"), now: TalosFixtures.now).generate(contract: TalosContract(1, 13))
        let pem = try #require(Base64PEM.decode(bundle.serviceAccountKey))
        #expect(pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
        let key = try TalosPrivateKey(pem: pem)
        #expect(key.algorithm == "RSA-4096")
        if let openssl = TestSupport.TestProcess.which("openssl") {
            let result = try TestProcess.run(openssl, ["rsa", "-check", "-noout"], input: Data(pem.utf8))
            #expect(result.status == 0, "openssl accepts the PKCS#1 key: \(result.standardError)")
        }
        #expect(try SecretsBundle.parse(bundle.yaml, path: "rsa.yaml") == bundle)
    }

    @Test("openssl reads every generated certificate and key")
    func opensslInterop() throws {
        guard let openssl = TestProcess.which("openssl") else {
            if SharedData.isCI { Issue.record("openssl is required in CI") }
            print("SKIPPED: openssl not installed")
            return
        }
        guard let bundle = try generate(seed: "openssl") else { return }
        for pair in [bundle.os, bundle.etcd, bundle.kubernetes, bundle.kubernetesAggregator] {
            let certificate = try #require(Base64PEM.decode(pair.crt))
            let text = try TestProcess.run(openssl, ["x509", "-noout", "-text"], input: Data(certificate.utf8))
            #expect(text.status == 0)
            #expect(text.standardOutput.contains("CA:TRUE"))
            let key = try #require(Base64PEM.decode(pair.key)).replacingOccurrences(of: "ED25519 PRIVATE KEY", with: "PRIVATE KEY")
            #expect(try TestProcess.run(openssl, ["pkey", "-noout"], input: Data(key.utf8)).status == 0)
        }
    }

    @Test("malformed bundles are errors with file and line")
    func malformed() throws {
        guard let text = try TalosFixtures.text("golden-v1.13/secrets.yaml") else { return }
        let badToken = text.replacingOccurrences(of: "token: d8cwfa.eyvpi0xwxyarbfid", with: "token: NOT-A-TOKEN")
        let error = try #require(parseError(badToken))
        #expect(error.location?.path == "s.yaml" && error.location?.line == 9)
        let unknown = text + "extra: field\n"
        let unknownError = try #require(parseError(unknown))
        #expect(unknownError.message.contains("unknown field extra"))
        let broken = try #require(parseError("cluster: ["))
        #expect(broken.location?.line != nil)
        let badCert = text.replacingOccurrences(of: "crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmVENDQVNPZ0F3SUJBZ0lRVkNT", with: "crt: bm9wZQ")
        let certError = try #require(parseError(badCert))
        #expect(certError.message.contains("certs.etcd.crt"))
        #expect(certError.location?.line == 12)
        let both = text.replacingOccurrences(of: "    secretboxencryptionsecret:", with: "    aescbcencryptionsecret: 45yd2Ke+sytiICojDf8aibTfgt99nzJmO53cjDqrCto=\n    secretboxencryptionsecret:")
        #expect(parseError(both)?.message.contains("only one") == true)
    }
}

import HomeportCore

/// The ``HomeportError`` parsing `text` as a bundle throws, or nil when it parses.
func parseError(_ text: String) -> HomeportError? {
    do {
        _ = try SecretsBundle.parse(text, path: "s.yaml")
        return nil
    } catch {
        return error as? HomeportError
    }
}

@Suite("private key PEM forms Talos accepts")
struct TalosPrivateKeyTests {
    @Test("PKCS#8 PRIVATE KEY blocks read as Ed25519 and P-256; unknown blocks are refused")
    func pkcs8() throws {
        guard let golden = try TalosFixtures.goldenSecrets(), let osPEM = Base64PEM.decode(golden.os.key) else { return }
        let ed25519 = try TalosPrivateKey(pem: osPEM.replacingOccurrences(of: "ED25519 PRIVATE KEY", with: "PRIVATE KEY"))
        #expect(ed25519.algorithm == "Ed25519")
        #expect(ed25519.pem == osPEM, "written back in talosctl's form")
        let p256 = P256.Signing.PrivateKey()
        let read = try TalosPrivateKey(pem: p256.pemRepresentation)
        guard case .p256(let key) = read else { Issue.record("not read as P-256"); return }
        #expect(key.rawRepresentation == p256.rawRepresentation)
        #expect(try TalosPrivateKey(pem: read.pem).pem == read.pem, "SEC1 form reads back")
        // homeport:allow secrets.plaintext (a truncated key of an unsupported type, which must be refused)
        #expect(throws: (any Error).self) { try TalosPrivateKey(pem: "-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n") }
    }
}
