import Contract
import Flux
import Foundation
import HomeportCore
import Manifests
import Testing
import TestSupport

/// The Flux rules and k8s.schema on the real-world corpus repository.
@Suite struct FluxCorpusTests {
    static let ruleIDs: Set<String> = ["k8s.schema", "flux.reachable", "flux.references", "flux.substitution", "flux.decryption", "flux.pinned", "flux.duplicates"]
    static let expectedFile = SharedData.packageRoot + "/Tests/Fixtures/flux/corpus-expected-findings.txt"

    /// Built-in Kubernetes schemas: `HOMEPORT_K8S_SCHEMAS`, else the ones shipped in the
    /// `kubernetes-validate` Python package (`pip install kubernetes-validate`).
    static let builtinSchemas: String? = {
        if let explicit = ProcessInfo.processInfo.environment["HOMEPORT_K8S_SCHEMAS"] { return explicit }
        guard let python = TestProcess.which("python3"),
              let result = try? TestProcess.run(python, ["-c", "import kubernetes_validate, os; print(os.path.join(os.path.dirname(kubernetes_validate.__file__), 'kubernetes-json-schema'))"]),
              result.status == 0 else { return nil }
        let path = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    struct Inputs {
        var snapshot: RepoSnapshot
        var locations: [String]
    }

    static func inputs() throws -> Inputs? {
        guard let corpus = SharedData.path("corpus/bjw-s-labs-home-ops"), let catalog = SharedData.path("crd-schemas"),
              let builtin = builtinSchemas else {
            #expect(!SharedData.isCI, "the corpus, crd-schemas and kubernetes-validate are required in CI")
            print("skipping: corpus, crd-schemas or kubernetes-validate schemas not found")
            return nil
        }
        return Inputs(snapshot: try RepoScanner().scan(root: corpus), locations: [builtin, catalog])
    }

    static func check(_ snapshot: RepoSnapshot, locations: [String]) -> [Finding] {
        var checker = Checker().selecting(only: ruleIDs, skip: [])
        let options = CheckOptions(repoRoot: snapshot.root, schemaLocations: locations)
        checker.schemaSources = CheckRunner.schemaSources(options, snapshot: snapshot)
        return checker.check(snapshot)
    }

    static func line(_ finding: Finding) -> String {
        "\(finding.location.path):\(finding.location.line.map(String.init) ?? "-"): \(finding.severity.rawValue) [\(finding.ruleID)] \(finding.message)"
    }

    @Test func corpusFindingsAreExactlyTheExpectedOnes() throws {
        guard let inputs = try Self.inputs() else { return }
        let findings = Self.check(inputs.snapshot, locations: inputs.locations)
        let actual = findings.map(Self.line).joined(separator: "\n") + "\n"
        let expected = (try? String(contentsOfFile: Self.expectedFile, encoding: .utf8)) ?? ""
        if actual != expected {
            try? actual.write(toFile: NSTemporaryDirectory() + "corpus-expected-findings.actual", atomically: true, encoding: .utf8)
        }
        #expect(actual == expected, "findings changed; review \(NSTemporaryDirectory())corpus-expected-findings.actual and update \(Self.expectedFile)")
        // The only errors: the directory the corpus copy cannot build (its shell scripts were
        // left out) and a field the CRD catalog's older AlertmanagerConfig schema predates.
        let errors = findings.filter { $0.severity == .error }
        #expect(errors.map(\.location.path) == [
            "kubernetes/apps/observability/kube-prometheus-stack/app/alertmanagerconfig.yaml",
            "kubernetes/apps/selfhosted/webhook/app/kustomization.yaml",
        ])
    }

    @Test func builtInSchemasAloneRaiseNoFalseAlarmOnTheCorpus() throws {
        guard let corpus = SharedData.path("corpus/bjw-s-labs-home-ops") else {
            #expect(!SharedData.isCI, "the corpus is required in CI")
            return
        }
        let snapshot = try RepoScanner().scan(root: corpus)
        let findings = Self.check(snapshot, locations: [])
        // The one error is the directory the corpus copy cannot build; the AlertmanagerConfig
        // field the snapshot predates is only a warning; one notice names the kinds without schema.
        #expect(findings.filter { $0.severity == .error }.map(\.location.path) == ["kubernetes/apps/selfhosted/webhook/app/kustomization.yaml"],
                "\(findings.map(Self.line).joined(separator: "\n"))")
        let schema = findings.filter { $0.ruleID == "k8s.schema" }
        #expect(schema.filter { $0.severity == .warning }.map(\.location.path) == ["kubernetes/apps/observability/kube-prometheus-stack/app/alertmanagerconfig.yaml"])
        let notices = schema.filter { $0.severity == .notice }
        #expect(notices.count == 1)
        #expect(notices.first?.message.contains("NetworkAttachmentDefinition (k8s.cni.cncf.io/v1)") == true)
        #expect(notices.first?.message.contains("HelmRelease") == false)
    }

    @Test func plantedDefectsGiveTheRightFindingsAtTheRightPlaces() throws {
        guard let inputs = try Self.inputs() else { return }
        var texts: [String: String] = [:]
        func edit(_ path: String, _ old: String, _ new: String) throws {
            let text = try #require(texts[path] ?? inputs.snapshot.file(path)?.text)
            #expect(text.contains(old), "\(path) no longer contains the text to replace")
            texts[path] = text.replacingOccurrences(of: old, with: new)
        }
        func line(_ path: String, of needle: String) -> Int? {
            texts[path]?.components(separatedBy: "\n").firstIndex { $0.contains(needle) }.map { $0 + 1 }
        }
        let release = "kubernetes/apps/selfhosted/atuin/app/helmrelease.yaml"
        let atuin = "kubernetes/apps/selfhosted/atuin/ks.yaml"
        let kopiur = "kubernetes/apps/system/kopiur/ks.yaml"
        try edit(release, "  interval: 30m\n", "  interval: 30\n")
        try edit(release, "  name: atuin\nspec:\n", "  name: atuin\n  labels:\n    owner: ${NOT_DEFINED}\nspec:\n")
        try edit(atuin, "  interval: 1h\n", "  interval: 1h\n  intervall: 1h\n")
        try edit(atuin, "  dependsOn:\n", "  dependsOn:\n    - name: ghost\n")
        try edit(kopiur, "  name: kopiur\nspec:\n  healthChecks:", "  name: kopiur\nspec:\n  dependsOn:\n    - name: atuin\n      namespace: selfhosted\n  healthChecks:")
        let files = inputs.snapshot.files.map { file in
            texts[file.path].map { RepoScanner.makeFile(path: file.path, size: $0.utf8.count, isExecutable: false, content: .text($0)) } ?? file
        }
        let planted = RepoSnapshot(root: inputs.snapshot.root, files: files)
        let baseline = Set(Self.check(inputs.snapshot, locations: inputs.locations).map(Self.line))
        let new = Self.check(planted, locations: inputs.locations).filter { !baseline.contains(Self.line($0)) }
        func expectFinding(_ rule: String, _ path: String, _ line: Int?, _ text: String) {
            let match = new.first { $0.ruleID == rule && $0.location.path == path && $0.location.line == line && $0.message.contains(text) }
            #expect(match != nil, "expected \(rule) at \(path):\(line ?? 0) mentioning '\(text)'; new findings:\n\(new.map(Self.line).joined(separator: "\n"))")
        }
        expectFinding("k8s.schema", release, line(release, of: "interval: 30"), "expected string")
        expectFinding("k8s.schema", atuin, line(atuin, of: "intervall"), "unknown field 'intervall'")
        expectFinding("flux.substitution", release, line(release, of: "NOT_DEFINED"), "${NOT_DEFINED}")
        expectFinding("flux.references", atuin, line(atuin, of: "name: ghost"), "selfhosted/ghost")
        let cycle = new.filter { $0.ruleID == "flux.references" && $0.message.contains("cycle") }
        #expect(cycle.count == 1)
        #expect(cycle.first?.message.contains("atuin") == true && cycle.first?.message.contains("kopiur") == true)
        let cycleLines = [(atuin, line(atuin, of: "- name: kopiur")), (kopiur, line(kopiur, of: "- name: atuin"))]
        #expect(cycleLines.contains { $0.0 == cycle.first?.location.path && $0.1 == cycle.first?.location.line })
        #expect(new.count == 5, "\(new.map(Self.line).joined(separator: "\n"))")
    }
}

@Suite struct SchemaRuleWithoutLocationsTests {
    @Test func builtInKindsAreCheckedAndOnlyKindsWithoutSchemaAreNamed() {
        let snapshot = RepoScanner.snapshot(files: [
            "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- ns.yaml\n",
            "cluster/kubernetes/flux/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\nspecc: {}\n---\napiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n  namespace: demo\n",
        ])
        let findings = Checker().selecting(only: ["k8s.schema"], skip: []).check(snapshot)
        #expect(findings.count == 2, "\(findings.map(\.message))")
        let error = findings.first { $0.severity == .error }
        #expect(error?.message.contains("unknown field 'specc'") == true)
        #expect(error?.location.line == 5)
        let notice = findings.first { $0.severity == .notice }
        #expect(notice?.message.hasPrefix("no JSON schema for Gadget (example.com/v1) in cluster/kubernetes/flux/ns.yaml") == true)
        #expect(notice?.message.contains("Namespace") == false)
    }
}
