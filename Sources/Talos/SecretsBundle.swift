import Foundation
import HomeportCore
import Manifests
import X509

/// A certificate and key as Talos stores them: standard base64 of the PEM text, kept verbatim
/// so a bundle read and written again is byte-for-byte the same.
public struct EncodedKeyPair: Sendable, Equatable {
    /// base64(PEM certificate); empty for the service-account entry, which has only a key.
    public var crt: String
    /// base64(PEM private key).
    public var key: String

    public init(crt: String, key: String) {
        self.crt = crt
        self.key = key
    }

    public init(certificatePEM: String, keyPEM: String) {
        self.init(crt: Base64PEM.encode(certificatePEM), key: Base64PEM.encode(keyPEM))
    }

    /// The decoded certificate.
    public func certificate() throws -> Certificate {
        guard let pem = Base64PEM.decode(crt) else { throw HomeportError("crt is not base64 of PEM text") }
        return try Certificate(pemEncoded: pem)
    }

    /// The decoded private key.
    public func privateKey() throws -> TalosPrivateKey {
        guard let pem = Base64PEM.decode(key) else { throw HomeportError("key is not base64 of PEM text") }
        return try TalosPrivateKey(pem: pem)
    }

    /// The `{crt, key}` mapping of machine configs and bundles.
    var value: ConfigValue { .map([("crt", .string(crt)), ("key", .string(key))]) }
}

/// The secrets bundle of one cluster, in the layout `talosctl gen secrets` writes. Everything
/// that identifies the cluster and lets nodes trust each other lives here, so it is generated
/// once and never overwritten.
public struct SecretsBundle: Sendable, Equatable {
    public var clusterID: String
    public var clusterSecret: String
    public var bootstrapToken: String
    /// Only bundles for Talos 1.2 and older carry it.
    public var aescbcEncryptionSecret: String?
    public var secretboxEncryptionSecret: String?
    public var trustdToken: String
    /// Old bundles kept an admin certificate here.
    public var admin: EncodedKeyPair?
    public var etcd: EncodedKeyPair
    public var kubernetes: EncodedKeyPair
    public var kubernetesAggregator: EncodedKeyPair
    /// The service-account signing key (`crt` is empty).
    public var serviceAccountKey: String
    public var os: EncodedKeyPair

    public init(clusterID: String, clusterSecret: String, bootstrapToken: String, aescbcEncryptionSecret: String? = nil,
                secretboxEncryptionSecret: String?, trustdToken: String, admin: EncodedKeyPair? = nil,
                etcd: EncodedKeyPair, kubernetes: EncodedKeyPair, kubernetesAggregator: EncodedKeyPair,
                serviceAccountKey: String, os: EncodedKeyPair) {
        self.clusterID = clusterID
        self.clusterSecret = clusterSecret
        self.bootstrapToken = bootstrapToken
        self.aescbcEncryptionSecret = aescbcEncryptionSecret
        self.secretboxEncryptionSecret = secretboxEncryptionSecret
        self.trustdToken = trustdToken
        self.admin = admin
        self.etcd = etcd
        self.kubernetes = kubernetes
        self.kubernetesAggregator = kubernetesAggregator
        self.serviceAccountKey = serviceAccountKey
        self.os = os
    }

    /// The bundle as a YAML tree, fields in talosctl's order.
    public var value: ConfigValue {
        .map([
            ("cluster", .map([("id", .string(clusterID)), ("secret", .string(clusterSecret))])),
            ("secrets", .map([
                ("bootstraptoken", .string(bootstrapToken)),
                ("aescbcencryptionsecret", aescbcEncryptionSecret.map { .string($0) }),
                ("secretboxencryptionsecret", secretboxEncryptionSecret.map { .string($0) }),
            ])),
            ("trustdinfo", .map([("token", .string(trustdToken))])),
            ("certs", .map([
                ("admin", admin?.value),
                ("etcd", etcd.value),
                ("k8s", kubernetes.value),
                ("k8saggregator", kubernetesAggregator.value),
                ("k8sserviceaccount", .map([("key", .string(serviceAccountKey))])),
                ("os", os.value),
            ])),
        ])
    }

    /// The YAML text talosctl writes (four-space indent, no comments).
    public var yaml: String { GoYAMLEncoder.encode(value) }
}

extension SecretsBundle {
    /// Reads a bundle written by talosctl or homeport. Every problem names `path` and the line
    /// of the offending value; unknown fields are refused rather than dropped, so nothing is
    /// lost when homeport writes the bundle again.
    public static func parse(_ text: String, path: String) throws -> SecretsBundle {
        let stream = YAMLParser.parse(text)
        if let error = stream.error {
            throw HomeportError("cannot parse the secrets bundle: \(error.message)",
                                at: SourceLocation(path: path, line: error.mark?.line, column: error.mark?.column))
        }
        guard stream.documents.count == 1, let root = stream.documents.first, root.mapping != nil else {
            throw HomeportError("a secrets bundle is one YAML mapping with cluster, secrets, trustdinfo and certs",
                                at: SourceLocation(path: path, line: stream.documents.first?.mark.line))
        }
        let reader = BundleReader(path: path)
        try reader.allowOnly(["cluster", "secrets", "trustdinfo", "certs"], in: root, context: "the bundle")
        let cluster = try reader.mapping("cluster", in: root)
        let secrets = try reader.mapping("secrets", in: root)
        let trustd = try reader.mapping("trustdinfo", in: root)
        let certs = try reader.mapping("certs", in: root)
        try reader.allowOnly(["id", "secret"], in: cluster, context: "cluster")
        try reader.allowOnly(["bootstraptoken", "aescbcencryptionsecret", "secretboxencryptionsecret"], in: secrets, context: "secrets")
        try reader.allowOnly(["token"], in: trustd, context: "trustdinfo")
        try reader.allowOnly(["admin", "etcd", "k8s", "k8saggregator", "k8sserviceaccount", "os"], in: certs, context: "certs")

        let bundle = SecretsBundle(
            clusterID: try reader.string("id", in: cluster),
            clusterSecret: try reader.string("secret", in: cluster),
            bootstrapToken: try reader.token("bootstraptoken", in: secrets),
            aescbcEncryptionSecret: try reader.optionalString("aescbcencryptionsecret", in: secrets),
            secretboxEncryptionSecret: try reader.optionalString("secretboxencryptionsecret", in: secrets),
            trustdToken: try reader.token("token", in: trustd),
            admin: try certs["admin"].map { try reader.keyPair($0, name: "certs.admin") },
            etcd: try reader.keyPair(reader.mapping("etcd", in: certs), name: "certs.etcd"),
            kubernetes: try reader.keyPair(reader.mapping("k8s", in: certs), name: "certs.k8s"),
            kubernetesAggregator: try reader.keyPair(reader.mapping("k8saggregator", in: certs), name: "certs.k8saggregator"),
            serviceAccountKey: try reader.serviceAccountKey(reader.mapping("k8sserviceaccount", in: certs)),
            os: try reader.keyPair(reader.mapping("os", in: certs), name: "certs.os"))
        if bundle.secretboxEncryptionSecret == nil && bundle.aescbcEncryptionSecret == nil {
            throw reader.error("secrets needs secretboxencryptionsecret (or aescbcencryptionsecret for Talos 1.2 and older)", at: secrets)
        }
        if bundle.secretboxEncryptionSecret != nil && bundle.aescbcEncryptionSecret != nil {
            throw reader.error("secrets holds both secretboxencryptionsecret and aescbcencryptionsecret; Talos accepts only one", at: secrets)
        }
        return bundle
    }

    /// Reads a bundle file.
    public static func load(path: String) throws -> SecretsBundle {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HomeportError.usage("cannot read the secrets bundle \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HomeportError("\(path) is not UTF-8 text", at: SourceLocation(path: path))
        }
        return try parse(text, path: path)
    }
}

/// Field access with file-and-line errors for ``SecretsBundle/parse(_:path:)``.
private struct BundleReader {
    let path: String

    func error(_ message: String, at node: YAMLNode) -> HomeportError {
        HomeportError(message, at: SourceLocation(path: path, line: node.mark.line, column: node.mark.column))
    }

    func allowOnly(_ keys: Set<String>, in node: YAMLNode, context: String) throws {
        for entry in node.mapping?.entries ?? [] {
            let key = entry.key.scalar?.value ?? ""
            if !keys.contains(key) {
                throw error("unknown field \(key) in \(context); refusing to drop it (expected one of \(keys.sorted().joined(separator: ", ")))", at: entry.key)
            }
        }
    }

    func mapping(_ key: String, in node: YAMLNode) throws -> YAMLNode {
        guard let value = node[key] else { throw error("missing \(key)", at: node) }
        guard value.mapping != nil else { throw error("\(key) must be a mapping", at: value) }
        return value
    }

    func string(_ key: String, in node: YAMLNode) throws -> String {
        guard let value = node[key] else { throw error("missing \(key)", at: node) }
        guard let text = value.scalar?.value, !text.isEmpty else { throw error("\(key) must be a non-empty string", at: value) }
        return text
    }

    func optionalString(_ key: String, in node: YAMLNode) throws -> String? {
        guard node[key] != nil else { return nil }
        return try string(key, in: node)
    }

    func token(_ key: String, in node: YAMLNode) throws -> String {
        let text = try string(key, in: node)
        guard TalosToken.isValid(text) else {
            throw error("\(key) must look like [0-9a-z]{6}.[0-9a-z]{16}", at: node[key] ?? node)
        }
        return text
    }

    func keyPair(_ node: YAMLNode, name: String) throws -> EncodedKeyPair {
        try allowOnly(["crt", "key"], in: node, context: name)
        let pair = EncodedKeyPair(crt: try string("crt", in: node), key: try string("key", in: node))
        do {
            _ = try pair.certificate()
        } catch {
            throw self.error("\(name).crt is not a base64-encoded PEM certificate", at: node["crt"] ?? node)
        }
        do {
            _ = try pair.privateKey()
        } catch {
            throw self.error("\(name).key is not a base64-encoded PEM private key", at: node["key"] ?? node)
        }
        return pair
    }

    func serviceAccountKey(_ node: YAMLNode) throws -> String {
        try allowOnly(["key"], in: node, context: "certs.k8sserviceaccount")
        let key = try string("key", in: node)
        guard let pem = Base64PEM.decode(key), (try? TalosPrivateKey(pem: pem)) != nil else {
            throw error("certs.k8sserviceaccount.key is not a base64-encoded PEM private key", at: node["key"] ?? node)
        }
        return key
    }
}
