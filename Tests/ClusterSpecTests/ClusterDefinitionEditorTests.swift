import ClusterSpec
import Foundation
import HomeportCore
import Manifests
import TestSupport
import Testing

/// `homeport init`'s definition editor: only the edited scalars change, and the result reads back.
@Suite struct ClusterDefinitionEditorTests {
    static let template = """
    # Cluster definition for home: the template.
    name: home
    domain: example.com
    proxmox:
      endpoint: "https://192.168.1.10:8006"
    network:
      nodeCIDR: 192.168.1.0/24
      gateway: 192.168.1.1
      dnsServers: [192.168.1.1, 1.1.1.1]
      controlPlaneVIP: 192.168.1.210
      podCIDR: 10.244.0.0/16
    nodes:
      - {name: cp-1, role: controlplane, address: 192.168.1.214}
      - {name: w-1, role: worker, address: 192.168.1.215}
    flux:
      repository: ssh://git@github.com/OWNER/homelab.git
      branch: main # the branch Flux syncs
    """

    @Test func editsOnlyTheGivenValuesAndMovesAddressesIntoTheNewNetwork() throws {
        var values = ClusterDefinitionValues()
        values.name = "lab"
        values.nodeCIDR = "10.1.0.0/16"
        values.workerAddresses = ["10.1.5.5"]
        values.branch = "live: now"
        let edited = try ClusterDefinitionEditor.apply(values, to: Self.template)
        #expect(edited == """
        # Cluster definition for lab: the template.
        name: lab
        domain: example.com
        proxmox:
          endpoint: "https://10.1.0.10:8006"
        network:
          nodeCIDR: 10.1.0.0/16
          gateway: 10.1.0.1
          dnsServers: [10.1.0.1, 1.1.1.1]
          controlPlaneVIP: 10.1.0.210
          podCIDR: 10.244.0.0/16
        nodes:
          - {name: cp-1, role: controlplane, address: 10.1.0.214}
          - {name: w-1, role: worker, address: 10.1.5.5}
        flux:
          repository: ssh://git@github.com/OWNER/homelab.git
          branch: "live: now" # the branch Flux syncs
        """)
    }

    @Test func awkwardValuesReadBackUnchanged() throws {
        for awkward in ["a \"quoted\" #value", "true", "- leading dash", "x\ny", "it's: here"] {
            var values = ClusterDefinitionValues()
            values.domain = awkward
            values.proxmoxEndpoint = awkward
            let edited = try ClusterDefinitionEditor.apply(values, to: Self.template)
            let root = try #require(YAMLParser.parse(edited).documents.first)
            #expect(root["domain"]?.scalar?.value == awkward)
            #expect(root[path: "proxmox.endpoint"]?.scalar?.value == awkward)
            #expect(root["name"]?.string == "home")
        }
    }

    @Test func nothingGivenChangesNothing() throws {
        #expect(try ClusterDefinitionEditor.apply(ClusterDefinitionValues(), to: Self.template) == Self.template)
    }

    @Test func moreAddressesThanNodesIsAUsageError() throws {
        var values = ClusterDefinitionValues()
        values.controlPlaneAddresses = ["192.168.1.20", "192.168.1.21"]
        #expect(throws: HomeportError.self) { try ClusterDefinitionEditor.apply(values, to: Self.template) }
    }

    @Test func theRepositoryTemplateStaysValidUnderANewNetwork() throws {
        let path = SharedData.packageRoot + "/config/clusters/prox-n100.yaml"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record("config/clusters/prox-n100.yaml is missing")
            return
        }
        var values = ClusterDefinitionValues()
        values.name = "lab"
        values.nodeCIDR = "172.20.4.0/24"
        let edited = try ClusterDefinitionEditor.apply(values, to: text)
        let loaded = ClusterDefinitionLoader.load(text: edited, path: "config/clusters/lab.yaml")
        #expect(loaded.isValid, "\(loaded.issues.map { $0.formatted(path: loaded.path) })")
        #expect(!edited.contains("192.168.1."))
    }
}
