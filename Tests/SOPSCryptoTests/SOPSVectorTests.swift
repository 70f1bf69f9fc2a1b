import Foundation
import Testing
@testable import SOPSCrypto
import SOPSFormat
import TestSupport

@Suite struct SOPSVectorTests {
    static let encrypted: [(file: String, plain: String)] = [
        ("k8s-secret.enc.yaml", "k8s-secret.plain.yaml"),
        ("multidoc-secret.maconly.enc.yaml", "multidoc-secret.plain.yaml"),
        ("shamir.enc.yaml", "shamir.plain.yaml"),
        ("types.enc.yaml", "types.plain.yaml"),
        ("app.enc.json", "app.plain.json"),
        ("app.enc.env", "app.plain.env"),
        ("app.enc.ini", "app.plain.ini"),
        ("blob.enc.json", "blob.plain.bin"),
    ]

    static func kind(_ name: String) -> SOPSStoreKind {
        name.hasPrefix("blob") ? .binary : SOPSStoreKind.forPath(name)
    }

    /// The plain file read as its store, so decrypted output can be compared by content.
    static func plainTree(_ root: String, _ name: String) throws -> [SOPSNode] {
        let text = String(decoding: try Vectors.bytes(root + "/" + name), as: UTF8.self)
        return try SOPSStore.parse(text, kind: kind(name)).documents
    }

    @Test func everyVectorDecryptsToItsPlaintext() throws {
        guard let root = Vectors.folder() else { return }
        let identities = try Vectors.identities(root, ["key.txt", "key2.txt"])
        for (file, plain) in Self.encrypted {
            let decrypted = try SOPSEngine.decrypt(try Vectors.bytes(root + "/" + file), kind: Self.kind(file), identities: identities)
            if Self.kind(file) == .binary {
                #expect(decrypted.binary == (try Vectors.bytes(root + "/" + plain)), "\(file)")
            } else {
                // sops 3.11 types JSON integers as float; the plaintext bytes are the same.
                let expected = try Self.plainTree(root, plain).map(stripComments).map(numbersAsText)
                #expect(decrypted.documents.map(stripComments).map(numbersAsText) == expected, "\(file)")
            }
        }
    }

    @Test func dataKeysMatchTheRecordedOnes() throws {
        guard let root = Vectors.folder() else { return }
        let identities = try Vectors.identities(root, ["key.txt", "key2.txt"])
        for (file, keyFile) in [("k8s-secret.enc.yaml", "k8s-secret.datakey.hex"), ("shamir.enc.yaml", "shamir.datakey.hex"),
                                ("multidoc-secret.maconly.enc.yaml", "multidoc-secret.maconly.datakey.hex")] {
            let decrypted = try SOPSEngine.decrypt(try Vectors.bytes(root + "/" + file), kind: .yaml, identities: identities)
            let hex = String(decoding: try Vectors.bytes(root + "/" + keyFile), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(decrypted.dataKey.map { String(format: "%02x", $0) }.joined() == hex.lowercased(), "\(file)")
        }
    }

    @Test func commentsDecrypt() throws {
        guard let root = Vectors.folder() else { return }
        let identities = try Vectors.identities(root)
        let k8s = try SOPSEngine.decrypt(try Vectors.bytes(root + "/k8s-secret.enc.yaml"), kind: .yaml, identities: identities)
        var firstItem: SOPSMapItem?
        if case .mapping(let items)? = k8s.documents[0]["stringData"] { firstItem = items.first }
        #expect(firstItem == SOPSMapItem.comment(" inline comment"))
        let env = try SOPSEngine.decrypt(try Vectors.bytes(root + "/app.enc.env"), kind: .dotenv, identities: identities)
        let plainEnv = try Self.plainTree(root, "app.plain.env")
        #expect(env.documents.map(\.withoutLines) == plainEnv.map(\.withoutLines))
    }

    @Test func reencryptingAnUnchangedFileReusesEveryIV() throws {
        guard let root = Vectors.folder() else { return }
        let identities = try Vectors.identities(root)
        let original = String(decoding: try Vectors.bytes(root + "/k8s-secret.enc.yaml"), as: UTF8.self)
        let decrypted = try SOPSEngine.decrypt(Array(original.utf8), kind: .yaml, identities: identities)
        let plan = SOPSKeyPlan(keyGroups: [identities.map(\.recipient)], selection: decrypted.metadata.effectiveSelection)
        let again = String(decoding: try SOPSEngine.encrypt(documents: decrypted.documents, binary: nil, kind: .yaml, plan: plan, reusing: decrypted), as: UTF8.self)
        // Every ENC value of the original (comment included) appears unchanged.
        let values = original.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "ENC[AES256_GCM"), !line.contains("mac:") else { return nil }
            return String(line[range.lowerBound...])
        }
        #expect(values.count == 9)
        for value in values { #expect(again.contains(value)) }
        #expect(try SOPSEngine.decrypt(Array(again.utf8), kind: .yaml, identities: identities).documents.map(stripComments)
                == decrypted.documents.map(stripComments))
    }

    @Test func tamperedValueOrMACFailsWithoutPlaintext() throws {
        guard let root = Vectors.folder() else { return }
        let identities = try Vectors.identities(root)
        let original = String(decoding: try Vectors.bytes(root + "/k8s-secret.enc.yaml"), as: UTF8.self)
        // Swap two encrypted values: each authenticates only under its own key path.
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let user = lines.firstIndex(where: { $0.contains("username: ENC") }),
              let pass = lines.firstIndex(where: { $0.contains("password: ENC") }) else { Issue.record("vector changed"); return }
        var swapped = lines
        swapped[user] = "    username: " + lines[pass].components(separatedBy: ": ")[1]
        let tampered = [
            swapped.joined(separator: "\n"),
            original.replacingOccurrences(of: "mac: ENC[AES256_GCM,data:5y3e", with: "mac: ENC[AES256_GCM,data:5y3f"),
            original.replacingOccurrences(of: "lastmodified: \"2026-11-27T08:49:01Z\"", with: "lastmodified: \"2026-11-27T08:49:02Z\""),
            original.replacingOccurrences(of: "port: ENC[AES256_GCM,data:oJKMoA==", with: "port: ENC[AES256_GCM,data:pJKMoA=="),
            original.replacingOccurrences(of: "    empty: \"\"", with: "    empty: \"added\""),
        ]
        for text in tampered {
            do {
                _ = try SOPSEngine.decrypt(Array(text.utf8), kind: .yaml, identities: identities)
                Issue.record("tampered file decrypted")
            } catch {
                let message = "\(error)"
                for secret in ["s3cr3t-P@ss", "admin", "5432", "a.example.com", "dG9rZW4tdmFsdWU="] {
                    #expect(!message.contains(secret))
                }
            }
        }
        for cut in [100, original.count / 2, original.count - 40] {
            #expect(throws: SOPSError.self) {
                _ = try SOPSEngine.decrypt(Array(original.utf8.prefix(cut)), kind: .yaml, identities: identities)
            }
        }
    }

    @Test func wrongKeyNamesTheRecipients() throws {
        guard let root = Vectors.folder() else { return }
        do {
            _ = try SOPSEngine.decrypt(try Vectors.bytes(root + "/app.enc.json"), kind: .json, identities: [AgeIdentity.generate()])
            Issue.record("decrypted with a foreign key")
        } catch let error as SOPSError {
            #expect(error.message.contains("age16he7ymgl9q4l22je480yyc9wtfhzh4jppqyx5v79q8a26gyydy0sn9grgq"))
        }
    }
}

func numbersAsText(_ node: SOPSNode) -> SOPSNode {
    switch node {
    case .mapping(let items):
        return .mapping(items.map {
            if case .entry(let key, let value, let line) = $0 { return .entry(key: key, value: numbersAsText(value), line: line) }
            return $0
        })
    case .sequence(let items): return .sequence(items.map(numbersAsText))
    case .scalar(.int(let text)), .scalar(.float(let text)): return .scalar(.string("number:" + text))
    default: return node
    }
}

func stripComments(_ node: SOPSNode) -> SOPSNode {
    switch node {
    case .mapping(let items):
        return .mapping(items.compactMap {
            if case .entry(let key, let value, _) = $0 { return .entry(key: key, value: stripComments(value), line: nil) }
            return nil
        })
    case .sequence(let items):
        return .sequence(items.compactMap { if case .comment = $0 { return nil } else { return stripComments($0) } })
    default:
        return node
    }
}

extension SOPSNode {
    var withoutLines: SOPSNode {
        switch self {
        case .mapping(let items):
            return .mapping(items.map {
                if case .entry(let key, let value, _) = $0 { return .entry(key: key, value: value.withoutLines, line: nil) }
                return $0
            })
        case .sequence(let items): return .sequence(items.map(\.withoutLines))
        default: return self
        }
    }
}
