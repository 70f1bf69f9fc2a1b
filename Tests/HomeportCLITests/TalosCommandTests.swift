import Foundation
import HomeportCore
import Testing
import TestSupport
@testable import HomeportCLI

@Suite("homeport talos commands")
struct TalosCommandTests {
    func run(_ arguments: [String]) throws {
        var command = try HomeportCommand.parseAsRoot(arguments)
        try command.run()
    }

    func repository() throws -> TemporaryRepo? {
        guard let definition = try? String(contentsOfFile: SharedData.packageRoot + "/config/clusters/prox-n100.yaml", encoding: .utf8) else {
            Issue.record("config/clusters/prox-n100.yaml is missing from the package")
            return nil
        }
        return try TemporaryRepo(files: [
            "config/clusters/prox-n100.yaml": definition,
            "cluster/talos/schematic.yaml": "customization:\n  systemExtensions:\n    officialExtensions:\n      - siderolabs/qemu-guest-agent\n",
            "cluster/talos/patches/worker/labels.yaml": "apiVersion: v1alpha1\nkind: KubeNodeConfig\nlabels:\n  homeport.dev/role: worker\n",
        ])
    }

    @Test("secrets --import, gen, talosconfig, schematic and the upgrade plan work on a cluster definition")
    func clusterFlow() throws {
        guard let golden = SharedData.path("talos/golden-v1.13/secrets.yaml") else {
            if SharedData.isCI { Issue.record("missing shared data") }
            return
        }
        guard let repo = try repository() else { return }
        try run(["talos", "secrets", "--repo", repo.root, "--import", golden])
        #expect(repo.read(".talos/prox-n100/secrets.yaml") == (try String(contentsOfFile: golden, encoding: .utf8)))
        #expect(throws: HomeportError.self) { try run(["talos", "secrets", "--repo", repo.root, "--import", golden]) }
        #expect(throws: HomeportError.self) { try run(["talos", "secrets", "--repo", repo.root]) }

        try run(["talos", "gen", "--repo", repo.root, "--cluster", "prox-n100"])
        for name in ["controlplane.yaml", "worker.yaml", "talos-cp-1.yaml", "talos-w-1.yaml", "talosconfig"] {
            #expect(repo.read(".talos/prox-n100/\(name)") != nil, "\(name) written")
        }
        let node = repo.read(".talos/prox-n100/talos-cp-1.yaml") ?? ""
        #expect(node.contains("kind: Layer2VIPConfig\nname: 192.168.1.210"))
        #expect(node.contains("factory.talos.dev/nocloud-installer/ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515:v1.14.0"))
        #expect(repo.read(".talos/prox-n100/talos-w-1.yaml")?.contains("homeport.dev/role: worker") == true)
        // A v1.13-style field on the v1.14 cluster: nothing that would not validate is written.
        try repo.write("cluster/talos/patches/all/time.yaml", "machine:\n  time:\n    servers: [pool.ntp.org]\n")
        let refused = #expect(throws: HomeportError.self) { try run(["talos", "gen", "--repo", repo.root, "--cluster", "prox-n100"]) }
        #expect(refused?.message.contains("talos-cp-1.yaml: v1alpha1 .machine.time: unknown field") == true)
        try FileManager.default.removeItem(atPath: repo.root + "/cluster/talos/patches/all/time.yaml")

        try run(["talos", "talosconfig", "--repo", repo.root])
        #expect(repo.read(".talos/prox-n100/talosconfig")?.contains("- 192.168.1.214") == true)
        #expect(repo.read(".talos/prox-n100/talosconfig")?.contains("192.168.1.210") == false, "never the VIP")

        try run(["talos", "schematic", "--repo", repo.root])
        try repo.write("cluster/talos/schematic.yaml", "customization: {}\n")
        #expect(throws: HomeportError.self) { try run(["talos", "schematic", "--repo", repo.root]) }

        let log = repo.root + "/talosctl.log"
        try repo.write("bin/talosctl", "#!/bin/sh\necho \"$*\" >> \"\(log)\"\n")
        chmod(repo.root + "/bin/talosctl", 0o755)
        try run(["talos", "upgrade", "--repo", repo.root, "--from-repository", "--talosctl", repo.root + "/bin/talosctl"])
        #expect(repo.read("talosctl.log") == nil, "the plan only; nothing runs without --yes")
        try run(["talos", "upgrade", "--repo", repo.root, "--from-repository", "--talosctl", repo.root + "/bin/talosctl", "--yes"])
        let calls = (repo.read("talosctl.log") ?? "").split(separator: "\n")
        #expect(calls.count == 6)
        #expect(calls.first?.contains("etcd snapshot") == true && calls.last?.contains("upgrade-k8s --to 1.37.0") == true)
    }

    @Test("gen config takes talosctl's flags and writes talosctl's files")
    func genConfig() throws {
        guard let golden = SharedData.path("talos/golden-v1.13/secrets.yaml"),
              let patch = SharedData.path("talos/golden-v1.13/patch.yaml") else { return }
        let folder = try TemporaryRepo()
        try run(["talos", "gen", "config", "base", "https://base:6443", "--with-secrets", golden, "--talos-version", "v1.11",
                 "--kubernetes-version", "1.28.0", "--config-patch", "@" + patch, "--install-disk", "/dev/vda",
                 "--additional-sans", "foo,bar", "--with-docs=false", "--with-examples=false", "--output-dir", folder.root + "/out"])
        let controlPlane = folder.read("out/controlplane.yaml") ?? ""
        #expect(controlPlane.contains("rbac: true"), "v1.11 contract")
        #expect(controlPlane.contains("- /var/opt") == false && controlPlane.contains("destination: /var/opt"))
        #expect(controlPlane.contains("image: ghcr.io/siderolabs/installer:v1.11"))
        #expect(folder.read("out/worker.yaml") != nil && folder.read("out/talosconfig") != nil)
        #expect(throws: (any Error).self) {
            try run(["talos", "gen", "config", "base", "https://base:6443", "--with-secrets", golden, "--kubernetes-version", "1.28.0",
                     "--talos-version", "v1.9", "--output-dir", folder.root + "/other"])
        }
    }
}
