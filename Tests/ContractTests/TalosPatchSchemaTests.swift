import Contract
import Foundation
import HomeportCore
import Manifests
import Testing
import TestSupport

@Suite("talos.patch-schema on the reference repository")
struct TalosPatchSchemaTests {
    /// The reference cluster's definition and patches, plus `extra` files.
    func snapshot(_ extra: [String: String]) throws -> RepoSnapshot {
        var files: [String: String] = [:]
        let root = SharedData.packageRoot
        files["config/clusters/prox-n100.yaml"] = try String(contentsOfFile: root + "/config/clusters/prox-n100.yaml", encoding: .utf8)
        for group in ["all", "controlplane"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/cluster/talos/patches/" + group) {
                let path = "cluster/talos/patches/\(group)/\(name)"
                files[path] = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
            }
        }
        return RepoScanner.snapshot(files: files.merging(extra) { $1 })
    }

    func check(_ snapshot: RepoSnapshot) throws -> [Finding] {
        Checker(rules: [try #require(RuleRegistry.rule(id: "talos.patch-schema"))]).check(snapshot)
    }

    @Test("the reference patches are clean; a planted unknown field is an error at its file and line")
    func plantedField() throws {
        #expect(try check(try snapshot([:])).isEmpty)
        let planted = "cluster/talos/patches/worker/labels.yaml"
        let findings = try check(try snapshot([planted: "apiVersion: v1alpha1\nkind: KubeNodeConfig\nlabels:\n  zone: lab\nlabel:\n  zone: lab\n"]))
        #expect(findings.map(\.location) == [SourceLocation(path: planted, line: 5, column: 1)])
        #expect(findings.first?.severity == .error)
        #expect(findings.first?.message.contains("KubeNodeConfig.label is not a field of the Talos v1.14 config") == true)
    }

    @Test("the same patches on a v1.13 definition: every v1.14 document is named as unknown there")
    func olderTarget() throws {
        var snapshot = try snapshot([:])
        let definition = try #require(snapshot.file("config/clusters/prox-n100.yaml")?.text)
        snapshot = RepoScanner.snapshot(files: Dictionary(uniqueKeysWithValues: snapshot.files.compactMap { file in
            file.text.map { (file.path, file.path.hasPrefix("config/") ? definition.replacingOccurrences(of: "version: v1.14.0", with: "version: v1.13.9") : $0) }
        }))
        let findings = try check(snapshot)
        #expect(!findings.isEmpty && findings.allSatisfy { $0.severity == .error })
        #expect(findings.contains { $0.message.contains("Talos v1.13 has no KubeletConfig document") })
    }
}
