import ClusterSpec
import TestSupport
import Testing

struct EnvFileTests {
    private func fixtureDefinition() throws -> ClusterDefinition {
        let loaded = ClusterFixtures.load(ClusterFixtures.valid)
        return try loaded.validDefinition()
    }

    private func variables(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }

    @Test func rendersEveryVariableFromTheDefinition() throws {
        let text = EnvFile.render(try fixtureDefinition())
        #expect(text.hasPrefix("# generated from config/clusters/lab.yaml by `homeport cluster env --write`; do not edit\n"))
        let values = variables(text)
        #expect(values == [
            "CLUSTER_NAME": "lab", "CLUSTER_DOMAIN": "lab.example.com",
            "CTRL_IP": "10.0.0.11", "CTRL_IPS": "10.0.0.11", "CONTROL_PLANE_VIP": "10.0.0.10",
            "CONTROL_PLANE_ENDPOINT": "https://10.0.0.10:6443", "WORKER_IPS": "10.0.0.21",
            "NODE_CIDR": "10.0.0.0/24", "GATEWAY": "10.0.0.1", "DNS_SERVERS": "10.0.0.1,1.1.1.1",
            "POD_CIDR": "10.244.0.0/16", "SERVICE_CIDR": "10.96.0.0/12", "LB_POOL": "10.0.0.220-10.0.0.229",
            "PROXMOX_ENDPOINT": "https://10.0.0.2:8006", "PROXMOX_NODE": "pve", "PROXMOX_TOKEN_ID": "'homeport@pve!homeport'",
            "PROXMOX_STORAGE": "local-lvm", "PROXMOX_IMAGE_STORAGE": "local", "PROXMOX_BRIDGE": "vmbr0",
            "FLUX_REPO_URL": "ssh://git@github.com/me/homelab.git", "FLUX_BRANCH": "main", "FLUX_PATH": "cluster/kubernetes/flux",
            "NFS_SERVER": "10.0.0.5", "NFS_PATH": "/volume1/k8s", "NFS_VERSION": "4.1",
        ])
        #expect(!text.contains("infrastructure/proxmox/token.sops.yaml"), "the secret's location is not an env value")
        // Renovate bumps these in the definition; a derived copy would make its pull requests drift.
        #expect(!text.contains("v1.13.9") && !text.contains("v1.36.3"))
    }

    @Test func listsFollowFileOrderAndRoles() throws {
        var definition = try fixtureDefinition()
        let worker = definition.nodes[1]
        var secondControlPlane = worker
        secondControlPlane.name = "cp-2"
        secondControlPlane.role = .controlPlane
        secondControlPlane.address = IPv4Address("10.0.0.12")!
        var secondWorker = worker
        secondWorker.address = IPv4Address("10.0.0.22")!
        definition.nodes = [definition.nodes[0], worker, secondControlPlane, secondWorker]
        let values = variables(EnvFile.render(definition))
        #expect(values["CTRL_IP"] == "10.0.0.11")
        #expect(values["CTRL_IPS"] == "10.0.0.11,10.0.0.12")
        #expect(values["WORKER_IPS"] == "10.0.0.21,10.0.0.22")
    }

    @Test(arguments: [
        ("plain", "plain"), ("a/b:c,d@e%f+g=h-i.j_k", "a/b:c,d@e%f+g=h-i.j_k"), ("", ""),
        ("homeport@pve!homeport", "'homeport@pve!homeport'"), ("two words", "'two words'"),
        ("it's", "'it'\\''s'"), ("$HOME", "'$HOME'"), ("a#b", "'a#b'"), ("naïve", "'naïve'"),
    ])
    func quotesOnlyWhenNeeded(_ value: String, _ expected: String) {
        #expect(EnvFile.quote(value) == expected)
    }

    @Test func quotedValuesReadBackThroughAShell() throws {
        guard let shell = TestProcess.which("sh") else {
            Issue.record("sh is not installed")
            return
        }
        let values = ["homeport@pve!homeport", "it's here", "$HOME and `cmd`", "a#b", "tab\there"]
        let script = values.enumerated().map { "V\($0.offset)=\(EnvFile.quote($0.element))" }.joined(separator: "\n")
            + "\n" + values.indices.map { "printf '%s\\n' \"$V\($0)\"" }.joined(separator: "\n") + "\n"
        let result = try TestProcess.run(shell, ["-c", script])
        #expect(result.status == 0)
        #expect(result.standardOutput == values.joined(separator: "\n") + "\n")
    }

    @Test func nfsVariablesStayWhenThereIsNoNAS() throws {
        var definition = try fixtureDefinition()
        definition.nfs = nil
        definition.network.loadBalancerPool = nil
        let values = variables(EnvFile.render(definition))
        #expect(values["NFS_SERVER"] == "")
        #expect(values["NFS_PATH"] == "")
        #expect(values["LB_POOL"] == "")
    }

    @Test func firstDifferenceFindsTheLine() {
        let expected = "a\nb\nc\n"
        #expect(EnvFile.firstDifference(expected: expected, actual: expected) == nil)
        #expect(EnvFile.firstDifference(expected: expected, actual: "a\nB\nc\n") == 2)
        #expect(EnvFile.firstDifference(expected: expected, actual: "a\nb\n") == 3)
        #expect(EnvFile.firstDifference(expected: expected, actual: "a\nb\nc\nd\n") == 4)
        #expect(EnvFile.firstDifference(expected: expected, actual: "a\nb\nc") == 3)
        #expect(EnvFile.firstDifference(expected: expected, actual: "") == 1)
        #expect(EnvFile.firstDifference(expected: expected, actual: "a\r\nb\r\nc\r\n") == 1)
        #expect(EnvFile.line(2, of: expected) == "b")
        #expect(EnvFile.line(9, of: expected) == nil)
    }

    @Test func referenceEnvFileIsWhatTheDefinitionDerives() throws {
        let definitionText = try #require(ClusterFixtures.referenceText)
        let envText = try #require(try? String(contentsOfFile: SharedData.packageRoot + "/config/env/prox-n100.env", encoding: .utf8),
                                   "config/env/prox-n100.env is missing: run `swift run homeport cluster env --write`")
        let definition = try ClusterFixtures.load(definitionText, path: "config/clusters/prox-n100.yaml").validDefinition()
        #expect(EnvFile.render(definition) == envText)
        #expect(variables(envText)["CTRL_IP"] == "192.168.1.214")
    }
}
