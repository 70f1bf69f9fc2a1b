import ArgumentParser
import Foundation
import HomeportCLI
import HomeportCore
import TestSupport
import Testing

/// `homeport cluster validate|env`, run in-process through the real argument parser.
struct ClusterCommandTests {
    static let definition = """
    name: lab
    domain: lab.example.com
    proxmox: {endpoint: "https://10.0.0.2:8006", node: pve, tokenID: homeport@pve!homeport, storage: local-lvm, imageStorage: local, bridge: vmbr0}
    network: {nodeCIDR: 10.0.0.0/24, gateway: 10.0.0.1, dnsServers: [10.0.0.1], controlPlaneVIP: 10.0.0.10, podCIDR: 10.244.0.0/16, serviceCIDR: 10.96.0.0/12}
    talos: {version: v1.13.9, kubernetesVersion: v1.36.3, installDisk: /dev/sda}
    nodes:
      - {name: cp-1, role: controlplane, address: 10.0.0.11, vmid: 111, cores: 2, memoryMiB: 4096, diskGiB: 40, mac: "BC:24:11:00:00:11"}
    flux: {repository: "ssh://git@github.com/me/homelab.git", branch: main, path: cluster/kubernetes/flux}

    """

    /// Runs the command line; returns the exit status the CLI would use.
    private func run(_ arguments: [String]) -> Int32 {
        do {
            var command = try HomeportCommand.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let error as HomeportError {
            return error.kind == .usage ? 2 : 1
        } catch {
            let code = HomeportCommand.exitCode(for: error)
            return code == .validationFailure ? 2 : code.rawValue
        }
    }

    @Test func envCheckFailsOnDriftAndPassesAfterWrite() throws {
        let repo = try TemporaryRepo(files: ["config/clusters/lab.yaml": Self.definition])
        #expect(run(["cluster", "env", "--check", "--repo", repo.root]) == 1, "a missing env file is drift")
        #expect(run(["cluster", "env", "--write", "--repo", repo.root]) == 0)
        let written = try #require(repo.read("config/env/lab.env"))
        #expect(written.contains("CTRL_IP=10.0.0.11\n"))
        #expect(run(["cluster", "env", "--check", "--repo", repo.root]) == 0)

        try repo.write("config/env/lab.env", written.replacingOccurrences(of: "FLUX_BRANCH=main", with: "FLUX_BRANCH=dev"))
        #expect(run(["cluster", "env", "--check", "--repo", repo.root]) == 1)
        #expect(run(["cluster", "env", "--check", "--cluster", "lab", "--repo", repo.root]) == 1)
        #expect(run(["cluster", "env", "--write", "--check", "--repo", repo.root]) == 2, "the flags exclude each other")
    }

    @Test func syncWritesEveryDerivedFileAndCheckListsDrift() throws {
        let fluxInstance = "kind: FluxInstance\nspec:\n  sync:\n    # the repo\n    url: ssh://git@github.com/OWNER/homelab.git\n    ref: refs/heads/main\n    path: cluster/kubernetes/flux\n"
        let repo = try TemporaryRepo(files: [
            "config/clusters/lab.yaml": Self.definition,
            "cluster/kubernetes/flux/flux-instance.yaml": fluxInstance,
        ])
        let check = { try HomeportBinary.run(["cluster", "sync", "--check", "--repo", repo.root]) }
        let drifted = try check()
        #expect(drifted.status == 1)
        #expect(drifted.standardError.contains("cluster/kubernetes/flux/flux-instance.yaml:5: error:"), "\(drifted.standardError)")
        #expect(drifted.standardError.contains("config/env/lab.env does not exist"), "\(drifted.standardError)")
        #expect(repo.read("config/env/lab.env") == nil, "--check writes nothing")

        let sync = try HomeportBinary.run(["cluster", "sync", "--repo", repo.root])
        #expect(sync.status == 0, "\(sync.standardError)")
        #expect(sync.standardOutput == "wrote config/env/lab.env\nwrote cluster/kubernetes/flux/flux-instance.yaml\n")
        #expect(repo.read("cluster/kubernetes/flux/flux-instance.yaml") == fluxInstance.replacingOccurrences(of: "OWNER", with: "me"))
        #expect(try check().status == 0)
        let again = try HomeportBinary.run(["cluster", "sync", "--repo", repo.root])
        #expect(again.standardOutput.split(separator: "\n").allSatisfy { $0.hasSuffix(" is up to date") })
    }

    @Test func validateExitsOneOnIssuesAndTwoOnAmbiguousCluster() throws {
        let repo = try TemporaryRepo(files: ["config/clusters/lab.yaml": Self.definition])
        #expect(run(["cluster", "validate", "--repo", repo.root]) == 0)
        try repo.write("config/clusters/lab.yaml", Self.definition.replacingOccurrences(of: "cores: 2", with: "cores: 1"))
        #expect(run(["cluster", "validate", "--repo", repo.root]) == 1)
        try repo.write("config/clusters/edge.yaml", Self.definition.replacingOccurrences(of: "name: lab", with: "name: edge"))
        #expect(run(["cluster", "validate", "--repo", repo.root]) == 2)
        #expect(run(["cluster", "validate", "--cluster", "edge", "--repo", repo.root]) == 0)
        #expect(run(["cluster", "validate", "--cluster", "nope", "--repo", repo.root]) == 2)
    }

    /// The built binary, end to end: output format and exit codes as a user sees them.
    @Test func binaryPrintsIssuesInCompilerFormat() throws {
        let binary = SharedData.packageRoot + "/.build/debug/homeport"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("SKIPPED binaryPrintsIssuesInCompilerFormat: \(binary) is not built (swift build)")
            #expect(!SharedData.isCI, "the homeport binary must be built in CI")
            return
        }
        let repo = try TemporaryRepo(files: [
            "config/clusters/lab.yaml": Self.definition.replacingOccurrences(of: "gateway: 10.0.0.1", with: "gateway: 10.0.9.1"),
        ])
        let result = try TestProcess.run(binary, ["cluster", "validate", "--repo", repo.root])
        #expect(result.status == 1)
        #expect(result.standardOutput.hasPrefix("config/clusters/lab.yaml:4:43: error: network.gateway 10.0.9.1 is outside network.nodeCIDR 10.0.0.0/24"),
                "\(result.standardOutput)")
        let env = try TestProcess.run(binary, ["cluster", "env", "--check", "--repo", repo.root])
        #expect(env.status == 1, "an invalid definition derives nothing: \(env.standardError)")
    }
}
