import ClusterSpec
import Foundation
import HomeportCore
import TestSupport
import Testing

/// The derived values that live inside hand-written files: the FluxInstance sync and the NAS
/// runbook's marked section, edited in place by `homeport cluster sync`.
struct DerivedFilesTests {
    static func reference() throws -> ClusterDefinition {
        try ClusterWorkspace(root: SharedData.packageRoot).load(named: "prox-n100").validDefinition()
    }

    static func referenceText(_ path: String) throws -> String {
        try String(contentsOfFile: SharedData.packageRoot + "/" + path, encoding: .utf8)
    }

    private func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    @Test func fluxSyncChangesOnlyTheThreeSyncValues() throws {
        var definition = try Self.reference()
        definition.flux.repository = "ssh://git@git.lab.example:2222/me/homelab.git"
        definition.flux.branch = "live"
        definition.flux.path = "clusters/lab/flux"
        let path = "cluster/kubernetes/flux/flux-instance.yaml"
        let original = try Self.referenceText(path)
        let derived = try FluxInstanceSync.derive(definition, from: original, path: path)

        let before = lines(original), after = lines(derived)
        #expect(before.count == after.count, "the layout stays")
        let changed = zip(before, after).filter { $0 != $1 }.map { String($0.1) }
        #expect(changed == [
            "    url: ssh://git@git.lab.example:2222/me/homelab.git",
            "    ref: refs/heads/live",
            "    path: clusters/lab/flux",
        ])
        #expect(derived.contains("# renovate: datasource=github-releases depName=fluxcd/flux2"), "comments stay")
        #expect(try FluxInstanceSync.derive(definition, from: derived, path: path) == derived, "deriving twice changes nothing")
    }

    @Test func theReferenceFluxInstanceFollowsItsDefinition() throws {
        let definition = try Self.reference()
        let path = FluxInstanceSync.path(for: definition)
        #expect(path == "cluster/kubernetes/flux/flux-instance.yaml")
        let text = try Self.referenceText(path)
        #expect(try FluxInstanceSync.derive(definition, from: text, path: path) == text)
    }

    @Test func fluxSyncWithoutAPlaceForTheValuesIsAnErrorWithALine() throws {
        let definition = try Self.reference()
        let path = "cluster/kubernetes/flux/flux-instance.yaml"
        let noPath = "kind: FluxInstance\nspec:\n  sync:\n    kind: GitRepository\n    url: x\n    ref: refs/heads/main\n"
        #expect(location { try FluxInstanceSync.derive(definition, from: noPath, path: path) } == HomeportCore.SourceLocation(path: path, line: 4))
        let noInstance = "apiVersion: v1\nkind: ConfigMap\n"
        #expect(location { try FluxInstanceSync.derive(definition, from: noInstance, path: path) } == HomeportCore.SourceLocation(path: path, line: 1))
        let folded = "kind: FluxInstance\nspec:\n  sync:\n    url: >-\n      ssh://x\n    ref: refs/heads/main\n    path: p\n"
        #expect(location { try FluxInstanceSync.derive(definition, from: folded, path: path) } == HomeportCore.SourceLocation(path: path, line: 4))
        let broken = "kind: FluxInstance\nspec: [\n"
        #expect(location { try FluxInstanceSync.derive(definition, from: broken, path: path) }?.path == path)
    }

    @Test func nasSectionCarriesTheDefinitionsAllowlist() throws {
        var definition = try Self.reference()
        definition.network.nodeCIDR = try IPv4Network.parse("10.20.0.0/24").get()
        definition.nodes[0].address = try #require(IPv4Address("10.20.0.214"))
        definition.nfs?.server = "10.20.0.112"
        let original = try Self.referenceText(NASExports.path)
        let derived = try NASExports.derive(definition, definitionPath: "config/clusters/prox-n100.yaml", from: original)
        #expect(derived.contains("| NFS clients (`network.nodeCIDR`) | `10.20.0.0/24` |"))
        #expect(derived.contains("| NAS address (`nfs.server`) | `10.20.0.112` |"))
        #expect(derived.contains("`10.20.0.214` (talos-cp-1)"))
        #expect(!derived.contains("192.168.1.0/24") && !derived.contains("192.168.1.112"))
        // Everything outside the markers is the runbook as written.
        let outside = { (text: String) -> String in
            let begin = text.range(of: NASExports.beginMarker)!.lowerBound
            let end = text.range(of: NASExports.endMarker)!.upperBound
            return String(text[..<begin]) + String(text[end...])
        }
        #expect(outside(derived) == outside(original))
        #expect(try NASExports.derive(definition, definitionPath: "config/clusters/prox-n100.yaml", from: derived) == derived)
    }

    @Test func theReferenceRunbookHoldsNoLANValueOutsideItsSection() throws {
        let definition = try Self.reference()
        let text = try Self.referenceText(NASExports.path)
        #expect(try NASExports.derive(definition, definitionPath: "config/clusters/prox-n100.yaml", from: text) == text)
        let begin = try #require(text.range(of: NASExports.beginMarker)).lowerBound
        let end = try #require(text.range(of: NASExports.endMarker)).upperBound
        let prose = String(text[..<begin]) + String(text[end...])
        for value in ["192.168.1.", definition.nfs?.server ?? "-", definition.nfs?.path ?? "-"] {
            #expect(!prose.contains(value), "the runbook's prose repeats \(value)")
        }
    }

    @Test func nasSectionMarkersMustBeThereOnceAndInOrder() throws {
        let definition = try Self.reference()
        let path = NASExports.path
        let derive = { (text: String) in try NASExports.derive(definition, definitionPath: "d.yaml", from: text) }
        #expect(location { try derive("# NAS\n\nno markers\n") } == HomeportCore.SourceLocation(path: path, line: 1))
        let twice = "\(NASExports.beginMarker) -->\n\(NASExports.endMarker)\n\(NASExports.beginMarker) -->\n\(NASExports.endMarker)\n"
        #expect(location { try derive(twice) } == HomeportCore.SourceLocation(path: path, line: 3))
        let reversed = "x\n\(NASExports.endMarker)\n\(NASExports.beginMarker) -->\n"
        #expect(location { try derive(reversed) } == HomeportCore.SourceLocation(path: path, line: 2))
    }

    @Test func syncComputesEverythingBeforeWritingAnything() throws {
        let repo = try TemporaryRepo(files: [
            ClusterFixtures.path: ClusterFixtures.valid,
            "cluster/kubernetes/flux/flux-instance.yaml": "kind: FluxInstance\nspec:\n  sync:\n    url: old\n    ref: refs/heads/old\n    path: old\n",
            "synology/exports.md": "# NAS\n\nno markers\n",
        ])
        let sync = ClusterSync(workspace: ClusterWorkspace(root: repo.root))
        let loaded = try ClusterWorkspace(root: repo.root).load(named: nil)
        #expect(location { try sync.write(loaded) } == HomeportCore.SourceLocation(path: "synology/exports.md", line: 1))
        #expect(repo.read("config/env/lab.env") == nil, "nothing is written when one file cannot be derived")
        #expect(repo.read("cluster/kubernetes/flux/flux-instance.yaml")?.contains("url: old") == true)

        try repo.write("synology/exports.md", "# NAS\n\n\(NASExports.beginMarker) -->\n\(NASExports.endMarker)\n\nprose\n")
        let drift = try sync.drift(loaded)
        #expect(drift.map(\.path) == ["config/env/lab.env", "cluster/kubernetes/flux/flux-instance.yaml", "synology/exports.md"],
                "cluster-settings does not exist and is optional")
        #expect(drift.first?.state == .missing)
        #expect(drift[1].state == .drifted(line: 4, expected: "    url: ssh://git@github.com/me/homelab.git"))
        let report = ClusterSync.driftReport(drift, definitionPath: loaded.path)
        #expect(report.contains("cluster/kubernetes/flux/flux-instance.yaml:4: error:"))
        #expect(report.contains("synology/exports.md:3: error:"))

        let written = try sync.write(loaded)
        #expect(written.filter { $0.state != .upToDate }.count == 3)
        #expect(try sync.drift(loaded).isEmpty)
        #expect(repo.read("cluster/kubernetes/flux/flux-instance.yaml") ==
                "kind: FluxInstance\nspec:\n  sync:\n    url: ssh://git@github.com/me/homelab.git\n    ref: refs/heads/main\n    path: cluster/kubernetes/flux\n")
        #expect(repo.read("synology/exports.md")?.contains("| NFS clients (`network.nodeCIDR`) | `10.0.0.0/24` |") == true)
        #expect(repo.read("synology/exports.md")?.hasSuffix("\n\nprose\n") == true)
        #expect(ClusterSync.report(try sync.write(loaded)).split(separator: "\n").allSatisfy { $0.hasSuffix("is up to date") })
    }

    private func location(_ body: () throws -> Any) -> HomeportCore.SourceLocation? {
        do {
            _ = try body()
            return nil
        } catch let error as HomeportError {
            return error.location
        } catch {
            return HomeportCore.SourceLocation(path: "unexpected \(error)")
        }
    }
}
