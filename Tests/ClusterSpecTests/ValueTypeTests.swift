@testable import ClusterSpec
import Testing

struct ValueTypeTests {
    @Test(arguments: [
        ("192.168.1.10", "192.168.1.10"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
    ])
    func parsesIPv4Addresses(_ text: String, _ expected: String) {
        #expect(IPv4Address(text)?.description == expected)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "1..2.3", " 1.2.3.4", "1.2.3.4 "])
    func refusesMalformedIPv4Addresses(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func networksContainAndOverlap() throws {
        let lan = try IPv4Network.parse("192.168.1.0/24").get()
        #expect(lan.contains(IPv4Address("192.168.1.200")!))
        #expect(!lan.contains(IPv4Address("192.168.2.1")!))
        #expect(lan.lastAddress.description == "192.168.1.255")
        #expect(lan.isReserved(IPv4Address("192.168.1.0")!))
        #expect(lan.isReserved(IPv4Address("192.168.1.255")!))
        #expect(!lan.isReserved(IPv4Address("192.168.1.1")!))
        let services = try IPv4Network.parse("10.96.0.0/12").get()
        let pods = try IPv4Network.parse("10.244.0.0/16").get()
        #expect(!services.overlaps(pods))
        #expect(try IPv4Network.parse("10.0.0.0/8").get().overlaps(pods))
        #expect(try IPv4Network.parse("0.0.0.0/0").get().contains(IPv4Address("8.8.8.8")!))
        #expect(try IPv4Network.parse("10.0.0.1/32").get().range.count == 1)
    }

    @Test func cidrWithHostBitsSuggestsTheNetwork() {
        #expect(IPv4Network.parse("192.168.1.5/24") == .failure(.hostBitsSet(suggestion: IPv4Network(address: IPv4Address("192.168.1.0")!, prefixLength: 24))))
        for text in ["192.168.1.0", "192.168.1.0/33", "192.168.1.0/", "/24", "192.168.1.0/2a", "192.168.1.0/24/1"] {
            #expect(IPv4Network.parse(text) == .failure(.malformed), "\(text)")
        }
    }

    @Test func rangesParseAndCompare() throws {
        let pool = try IPv4Range.parse("192.168.1.220-192.168.1.229").get()
        #expect(pool.count == 10)
        #expect(pool.contains(IPv4Address("192.168.1.225")!))
        #expect(!pool.contains(IPv4Address("192.168.1.230")!))
        #expect(pool.overlaps(try IPv4Range.parse("192.168.1.229 - 192.168.1.240").get()))
        #expect(!pool.overlaps(try IPv4Range.parse("192.168.1.230-192.168.1.240").get()))
        #expect(IPv4Range.parse("192.168.1.9-192.168.1.1") == .failure(.reversed))
        #expect(IPv4Range.parse("192.168.1.1") == .failure(.malformed))
        #expect(IPv4Range.parse("192.168.1.1-") == .failure(.malformed))
    }

    @Test func macAddresses() {
        #expect(MACAddress("bc:24:11:00:02:14")?.description == "BC:24:11:00:02:14")
        #expect(MACAddress("BC:24:11:00:02:14")?.isMulticast == false)
        #expect(MACAddress("01:00:5E:00:00:01")?.isMulticast == true)
        for text in ["BC:24:11:00:02", "BC-24-11-00-02-14", "BC:24:11:00:02:1", "BC:24:11:00:02:GG", "BC:24:11:00:02:14:00", ""] {
            #expect(MACAddress(text) == nil, "\(text)")
        }
    }

    @Test func semanticVersions() {
        #expect(SemanticVersion("v1.13.9") == SemanticVersion(major: 1, minor: 13, patch: 9))
        #expect(SemanticVersion("1.36.3")?.description == "v1.36.3")
        #expect(SemanticVersion("v1.13.0-beta.1")?.preRelease == "beta.1")
        for text in ["v1.13", "1", "v1.13.9.1", "v01.13.9", "latest", "v1.13.x", "v1.13.9-", "", "v"] {
            #expect(SemanticVersion(text) == nil, "\(text)")
        }
    }

    @Test func talosSupportTableIsTheDefaultAndFiveBefore() {
        let talos113 = SemanticVersion(major: 1, minor: 13, patch: 0)
        let minors = TalosSupport.supportedKubernetesMinors(talos: talos113)?.map(\.minor)
        #expect(minors == [31, 32, 33, 34, 35, 36])
        #expect(TalosSupport.problem(talos: talos113, kubernetes: SemanticVersion(major: 1, minor: 36, patch: 3)) == nil)
        #expect(TalosSupport.problem(talos: talos113, kubernetes: SemanticVersion(major: 1, minor: 31, patch: 0)) == nil)
        #expect(TalosSupport.problem(talos: talos113, kubernetes: SemanticVersion(major: 1, minor: 30, patch: 9)) != nil)
        #expect(TalosSupport.problem(talos: talos113, kubernetes: SemanticVersion(major: 1, minor: 37, patch: 0)) != nil)
        #expect(TalosSupport.problem(talos: SemanticVersion(major: 1, minor: 11, patch: 2), kubernetes: SemanticVersion(major: 1, minor: 34, patch: 1)) == nil)
        #expect(TalosSupport.problem(talos: SemanticVersion(major: 1, minor: 11, patch: 2), kubernetes: SemanticVersion(major: 1, minor: 35, patch: 0)) != nil)
        let talos114 = SemanticVersion(major: 1, minor: 14, patch: 0)
        #expect(TalosSupport.supportedKubernetesMinors(talos: talos114)?.map(\.minor) == [32, 33, 34, 35, 36, 37])
        #expect(TalosSupport.problem(talos: talos114, kubernetes: SemanticVersion(major: 1, minor: 37, patch: 0)) == nil)
        #expect(TalosSupport.releaseProblem(SemanticVersion(major: 1, minor: 15, patch: 0)) != nil)
        #expect(TalosSupport.releaseProblem(SemanticVersion(major: 2, minor: 13, patch: 0)) != nil)
    }

    @Test func secretLikeKeyNames() {
        for key in ["password", "tokenSecret", "PROXMOX_TOKEN_SECRET", "apiKey", "api_key", "privateKey", "token", "NAS_PASSWD"] {
            #expect(SecretKeyName.isSecretLike(key), "\(key)")
        }
        for key in ["tokenID", "PROXMOX_TOKEN_ID", "tokenSecretFile", "secretRef", "existingSecretName", "existingSecret", "name", "storage"] {
            #expect(!SecretKeyName.isSecretLike(key), "\(key)")
        }
    }

    @Test func keySuggestions() {
        let known = ["name", "role", "address", "vmid", "cores", "memoryMiB", "diskGiB", "mac"]
        #expect(KeySuggestion.suggestion(for: "memory", among: known) == "memoryMiB")
        #expect(KeySuggestion.suggestion(for: "adress", among: known) == "address")
        #expect(KeySuggestion.suggestion(for: "VMID", among: known) == "vmid")
        #expect(KeySuggestion.suggestion(for: "colour", among: known) == nil)
    }
}
