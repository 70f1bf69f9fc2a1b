import HomeportCore
import Testing
@testable import Talos

@Suite("machine-config patches")
struct ConfigPatchTests {
    let base: [ConfigValue] = [
        .map([
            ("version", .string("v1alpha1")),
            ("machine", .map([
                ("type", .string("controlplane")),
                ("certSANs", .strings(["a"])),
                ("network", .map([("interfaces", .sequence([.map([("interface", .string("eth0")), ("mtu", .int(1500))])]))])),
            ])),
            ("cluster", .map([("network", .map([("podSubnets", .strings(["10.244.0.0/16"]))]))])),
        ]),
        .map([("apiVersion", .string("v1alpha1")), ("kind", .string("HostnameConfig")), ("auto", .string("stable"))]),
    ]

    @Test("strategic merge: maps merge, lists append, replace-lists and keyed lists follow Talos")
    func strategicMerge() throws {
        let patch = try ConfigPatch.parse("""
            machine:
              certSANs: [b]
              network:
                interfaces:
                  - interface: eth0
                    mtu: 9000
                  - interface: eth1
            cluster:
              network:
                podSubnets: [10.32.0.0/16]
            """, path: "p.yaml")
        let result = try patch.apply(to: base)
        #expect(result[0][path: "machine.certSANs"] == .strings(["a", "b"]))
        #expect(result[0][path: "cluster.network.podSubnets"] == .strings(["10.32.0.0/16"]))
        let interfaces = try #require(result[0][path: "machine.network.interfaces"]?.items)
        #expect(interfaces.count == 2)
        #expect(interfaces[0]["mtu"] == .int(9000))
    }

    @Test("multi-document patches: matching kind merges, $patch: delete removes, new kinds are added")
    func multiDocument() throws {
        let patch = try ConfigPatch.parse("""
            apiVersion: v1alpha1
            kind: HostnameConfig
            $patch: delete
            ---
            apiVersion: v1alpha1
            kind: ResolverConfig
            nameservers:
              - address: 1.1.1.1
            ---
            machine:
              certSANs:
                $patch: delete
            """, path: "p.yaml")
        let result = try patch.apply(to: base)
        #expect(result.count == 2)
        #expect(result.contains { $0["kind"] == .string("ResolverConfig") })
        #expect(!result.contains { $0["kind"] == .string("HostnameConfig") })
        #expect(result[0][path: "machine.certSANs"] == nil)
    }

    @Test("JSON 6902 patches apply to a single v1alpha1 document and are refused for multi-document configs, as talosctl does")
    func jsonPatch() throws {
        let patch = try ConfigPatch.parse("""
            - op: add
              path: /machine/certSANs/-
              value: c
            - op: replace
              path: /machine/type
              value: worker
            - op: remove
              path: /cluster/network
            - op: copy
              from: /machine/type
              path: /machine/role
            - op: test
              path: /machine/role
              value: worker
            """, path: "p.json.yaml")
        let result = try patch.apply(to: [base[0]])
        #expect(result[0][path: "machine.certSANs"] == .strings(["a", "c"]))
        #expect(result[0][path: "machine.type"] == .string("worker"))
        #expect(result[0][path: "machine.role"] == .string("worker"))
        #expect(result[0][path: "cluster.network"] == nil)
        let refused = #expect(throws: HomeportError.self) { try patch.apply(to: base) }
        #expect(refused?.location?.path == "p.json.yaml")
        #expect(refused?.message.contains("strategic merge") == true)
    }

    @Test("bad patches are errors with file and line")
    func errors() throws {
        let syntax = #expect(throws: HomeportError.self) { try ConfigPatch.parse("machine:\n  type: [\n", path: "bad.yaml") }
        #expect(syntax?.location?.path == "bad.yaml" && syntax?.location?.line != nil)
        let op = #expect(throws: HomeportError.self) { try ConfigPatch.parse("- op: add\n  path: /a\n  value: 1\n- op: frob\n  path: /b\n", path: "ops.yaml") }
        #expect(op?.location?.line == 4)
        let patch = try ConfigPatch.parse("- op: remove\n  path: /machine/missing\n", path: "rm.yaml")
        let missing = #expect(throws: HomeportError.self) { try patch.apply(to: [base[0]]) }
        #expect(missing?.location?.path == "rm.yaml" && missing?.message.contains("missing") == true)
        let scalar = #expect(throws: HomeportError.self) { try ConfigPatch.parse("just text\n", path: "s.yaml") }
        #expect(scalar?.location?.line == 1)
    }
}

@Suite("strategic merge exceptions")
struct StrategicMergeExceptionTests {
    @Test("VLANs merge by vlanId, admission plugins by name, the audit policy is replaced")
    func exceptions() throws {
        let base = ConfigValue.map([
            ("version", .string("v1alpha1")),
            ("machine", .map([("network", .map([("interfaces", .sequence([.map([
                ("interface", .string("eth0")),
                ("vlans", .sequence([.map([("vlanId", .int(10)), ("mtu", .int(1500))])])),
            ])]))]))])),
            ("cluster", .map([("apiServer", .map([
                ("admissionControl", .sequence([MachineConfigGenerator.podSecurityAdmission])),
                ("auditPolicy", MachineConfigGenerator.auditPolicy),
            ]))])),
        ])
        let patch = try ConfigPatch.parse("""
            machine:
              network:
                interfaces:
                  - interface: eth0
                    vlans:
                      - vlanId: 10
                        mtu: 9000
                      - vlanId: 20
            cluster:
              apiServer:
                admissionControl:
                  - name: PodSecurity
                    configuration:
                      defaults:
                        enforce: restricted
                auditPolicy:
                  apiVersion: audit.k8s.io/v1
                  kind: Policy
                  rules:
                    - level: None
            """, path: "p.yaml")
        let result = try patch.apply(to: [base])[0]
        let vlans = try #require(result[path: "machine.network.interfaces"]?.items?.first?["vlans"]?.items)
        #expect(vlans.count == 2 && vlans[0]["mtu"] == .int(9000))
        let plugins = try #require(result[path: "cluster.apiServer.admissionControl"]?.items)
        #expect(plugins.count == 1)
        #expect(plugins[0][path: "configuration.defaults.enforce"] == .string("restricted"))
        #expect(plugins[0][path: "configuration.defaults.warn"] == .string("restricted"), "the rest of the plugin config stays")
        #expect(result[path: "cluster.apiServer.auditPolicy.rules"] == .sequence([.map([("level", .string("None"))])]))
    }
}
