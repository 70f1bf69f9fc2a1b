import Crypto
import Foundation
import Testing
import X509
@testable import Talos

@Suite("talosconfig and the admin certificate")
struct TalosconfigTests {
    @Test("admin certificate: Ed25519, O=os:admin, client auth only, one year, signed by the OS CA")
    func adminCertificate() throws {
        guard let secrets = try TalosFixtures.goldenSecrets() else { return }
        let config = try Talosconfig.generate(context: "homelab", endpoints: ["10.0.0.11", "10.0.0.12"], secrets: secrets,
                                              random: SeededRandomSource(seed: "admin"), now: TalosFixtures.now)
        let certificate = try Certificate(pemEncoded: try #require(Base64PEM.decode(config.crt)))
        let key = try TalosPrivateKey(pem: try #require(Base64PEM.decode(config.key)))
        #expect(key.algorithm == "Ed25519")
        #expect(certificate.publicKey == key.certificateKey?.publicKey)
        #expect(certificate.subject.description == "O=os:admin")
        let ca = try secrets.os.certificate()
        #expect(certificate.issuer == ca.subject)
        #expect(ca.publicKey.isValidSignature(certificate.signature, for: certificate), "signed by the OS CA")
        #expect(!(try secrets.kubernetes.certificate()).publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(certificate.notValidBefore == TalosFixtures.now)
        #expect(certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore) == 365 * 24 * 3600)
        #expect(try certificate.extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
        #expect(try certificate.extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try certificate.extensions.subjectAlternativeNames == nil)
        #expect(config.ca == secrets.os.crt)
    }

    @Test("the same seed and clock give the same admin certificate (Ed25519 signatures are deterministic)")
    func reproducible() throws {
        guard let secrets = try TalosFixtures.goldenSecrets() else { return }
        let make = { try Talosconfig.generate(context: "c", endpoints: ["10.0.0.11"], secrets: secrets, random: SeededRandomSource(seed: "s"), now: TalosFixtures.now) }
        #expect(try make().yaml == make().yaml)
    }

    @Test("the YAML has talosctl's layout")
    func layout() throws {
        guard let secrets = try TalosFixtures.goldenSecrets() else { return }
        let config = try Talosconfig.generate(context: "homelab", endpoints: ["10.0.0.11"], nodes: ["10.0.0.11"], secrets: secrets,
                                              random: SeededRandomSource(seed: "layout"), now: TalosFixtures.now)
        let parsed = try #require(try ConfigValue.documents(fromYAML: config.yaml, path: "talosconfig").first)
        #expect(parsed["context"] == .string("homelab"))
        #expect(parsed[path: "contexts.homelab.endpoints"] == .strings(["10.0.0.11"]))
        #expect(parsed[path: "contexts.homelab.nodes"] == .strings(["10.0.0.11"]))
        #expect(parsed[path: "contexts.homelab.ca"] == .string(secrets.os.crt))
        #expect(config.yaml.hasPrefix("context: homelab\ncontexts:\n    homelab:\n        endpoints:\n            - 10.0.0.11\n"))
    }
}
