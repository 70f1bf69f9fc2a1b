import ClusterSpec
import Foundation
import Manifests
import Testing
import TestSupport

struct ClusterSettingsTests {
    static func reference() throws -> ClusterDefinition {
        let workspace = ClusterWorkspace(root: SharedData.packageRoot)
        return try workspace.load(named: "prox-n100").validDefinition()
    }

    @Test func rendersAConfigMapOfStringsBesideTheFluxEntrypoint() throws {
        let definition = try Self.reference()
        #expect(ClusterSettings.path(for: definition) == "cluster/kubernetes/flux/cluster-settings.yaml")
        let root = try #require(YAMLParser.parse(ClusterSettings.render(definition)).documents.first)
        #expect(root["kind"]?.string == "ConfigMap")
        #expect(root[path: "metadata.name"]?.string == "cluster-settings")
        #expect(root[path: "metadata.namespace"]?.string == "flux-system")
        let data = try #require(root["data"]?.mapping)
        #expect(data.entries.allSatisfy { $0.value.scalar?.kind == .string }, "every value must stay a string")
        #expect(data["NFS_SERVER"]?.string == "\(definition.nfs?.server ?? "")")
        #expect(data["LB_POOL"]?.string == "192.168.1.220-192.168.1.229")
        #expect(data["LB_GATEWAY_INTERNAL_IP"]?.string == "192.168.1.220")
        #expect(data["LB_GATEWAY_EXTERNAL_IP"]?.string == "192.168.1.221")
        #expect(data["LB_DNS_IP"]?.string == "192.168.1.222")
        #expect(data["NFS_MOUNT_OPTIONS"]?.string == "nfsvers=4.1,hard")
        #expect(data["PROXMOX_TOKEN_ID"] == nil, "Proxmox values stay out of the cluster")
    }

    @Test func settingsCheckReportsDriftAndWriteFixesIt() throws {
        let repo = try TemporaryRepo()
        try repo.copy(from: SharedData.packageRoot + "/config", to: "config")
        let check = { try HomeportBinary.run(["cluster", "settings", "--check", "--repo", repo.root]) }
        #expect(try check().status == 1, "a missing file is drift")
        #expect(try HomeportBinary.run(["cluster", "settings", "--write", "--repo", repo.root]).status == 0)
        #expect(try check().status == 0)
        let path = "cluster/kubernetes/flux/cluster-settings.yaml"
        try repo.write(path, (repo.read(path) ?? "").replacingOccurrences(of: "192.168.1.112", with: "192.168.1.113"))
        let drifted = try check()
        #expect(drifted.status == 1)
        #expect(drifted.standardError.contains("\(path):"))
        #expect(drifted.standardError.contains("homeport cluster settings --write"))
    }
}
