import ClusterSpec
import Foundation
import Manifests
import Testing
import TestSupport
@testable import Talos

@Suite("Talos inputs from the cluster definition")
struct ClusterDefinitionAdapterTests {
    @Test("prox-n100's definition becomes the Talos inputs, and its configs validate against the v1.14 schema")
    func proxN100() throws {
        let loaded = try ClusterWorkspace(root: SharedData.packageRoot).load(named: "prox-n100")
        let input = TalosGenerationInput(definition: try loaded.validDefinition())
        #expect(input.clusterName == "prox-n100")
        #expect(input.talosVersion == "v1.14.0" && input.kubernetesVersion == "v1.37.0")
        #expect(try input.contract == TalosContract(1, 14))
        #expect(try input.endpoint == "https://192.168.1.210:6443")
        #expect(input.talosEndpoints == ["192.168.1.214"])
        #expect(input.nodePrefixLength == 24 && input.gateway == "192.168.1.1" && input.nameservers == ["192.168.1.1"])
        #expect(input.controlPlanes.map(\.hostname) == ["talos-cp-1"] && input.workers.map(\.hostname) == ["talos-w-1"])
        #expect(input.nodes[0].macAddress == "BC:24:11:00:02:14")
        #expect(input.allowSchedulingOnControlPlanes)
        #expect(try input.schematic.id == "ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515")
        guard let secrets = try TalosFixtures.goldenSecrets(), let schema = try TalosFixtures.schema("v1.14") else { return }
        let renderer = ClusterConfigRenderer(input: input, secrets: secrets)
        for node in input.nodes {
            for document in try renderer.nodeDocuments(node) {
                let errors = schema.validateTalosDocument(TalosFixtures.withSchemaKind(document, contract: TalosContract(1, 14)))
                #expect(errors.isEmpty, "\(node.hostname): \(errors)")
            }
        }
    }
}
