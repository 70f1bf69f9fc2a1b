import Contract
import Foundation
import HomeportCore
import Manifests
import Testing
import TestSupport

/// `k8s.schema` as a fresh clone's `homeport check` runs it: no flags, no schema directory, only
/// the schemas built into the binary.
@Suite struct BuiltinSchemaCheckTests {
    static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: flux-system
    spec:
      replicas: one
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
            - name: web
              image: nginx:1.27
              imagePullPolicyy: Always
    """

    static let helmRelease = """
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: app
      namespace: flux-system
    spec:
      interval: 30
      chartRef:
        kind: OCIRepository
        name: app
      installl:
        remediation:
          retries: 3
    """

    static let files: [String: String] = [
        "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- deployment.yaml\n- helmrelease.yaml\n- gadget.yaml\n",
        "cluster/kubernetes/flux/deployment.yaml": deployment,
        "cluster/kubernetes/flux/helmrelease.yaml": helmRelease,
        "cluster/kubernetes/flux/gadget.yaml": "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n  namespace: flux-system\n",
    ]

    static func schemaFindings(_ files: [String: String], kubernetesVersion: String? = nil) throws -> [Finding] {
        let repo = try TemporaryRepo(files: files)
        var options = CheckOptions(repoRoot: repo.root, only: ["k8s.schema"], kubernetesVersion: kubernetesVersion)
        options.schemaLocations = []
        return try CheckRunner.run(options).findings
    }

    static func describe(_ finding: Finding) -> String {
        "\(finding.location.path):\(finding.location.line ?? 0) \(finding.severity.rawValue) \(finding.message)"
    }

    @Test func wrongTypesAndUnknownFieldsAreCaughtWithNoFlags() throws {
        let findings = try Self.schemaFindings(Self.files)
        let summary = findings.map(Self.describe).joined(separator: "\n")
        func expect(_ path: String, _ line: Int, _ severity: Severity, _ text: String) {
            #expect(findings.contains { $0.location.path == "cluster/kubernetes/flux/" + path && $0.location.line == line && $0.severity == severity && $0.message.contains(text) },
                    "expected \(severity.rawValue) at \(path):\(line) mentioning \(text); got:\n\(summary)")
        }
        expect("deployment.yaml", 7, .error, "spec.replicas: expected integer, got a string")
        expect("deployment.yaml", 19, .error, "unknown field 'imagePullPolicyy'")
        expect("helmrelease.yaml", 7, .error, "spec.interval: expected string, got an integer")
        // The user's Flux may be newer than the snapshot: an unknown field is a warning that says why.
        expect("helmrelease.yaml", 11, .warning, "unknown field 'installl'")
        #expect(findings.first { $0.message.contains("installl") }?.message.contains("built-in CRD snapshot may predate") == true)
        // Only the kind that truly has no schema is named in the notice.
        let notices = findings.filter { $0.severity == .notice }
        #expect(notices.count == 1, "\(summary)")
        #expect(notices.first?.message.hasPrefix("no JSON schema for Gadget (example.com/v1) in cluster/kubernetes/flux/gadget.yaml") == true)
        #expect(findings.count == 5, "\(summary)")
    }

    @Test func anOlderClusterUsesTheNearestMinorAndSaysSo() throws {
        var files = Self.files
        files["config/clusters/home.yaml"] = "talos:\n  kubernetesVersion: v1.32.1\n"
        let notices = try Self.schemaFindings(files).filter { $0.severity == .notice }.map(\.message)
        #expect(notices.contains { $0.hasPrefix("Kubernetes 1.32 has no built-in schemas; validated against 1.35") })
        // The flag wins over the definition.
        let flagged = try Self.schemaFindings(files, kubernetesVersion: "1.36.0").filter { $0.severity == .notice }.map(\.message)
        #expect(!flagged.contains { $0.contains("has no built-in schemas") })
    }

    @Test func aCleanManifestGivesNoFinding() throws {
        let files = [
            "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- app.yaml\n",
            "cluster/kubernetes/flux/app.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: flux-system
            data:
              KEY: value
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: apps
              namespace: flux-system
            spec:
              interval: 10m
              path: ./cluster/kubernetes/flux
              prune: true
              sourceRef:
                kind: GitRepository
                name: flux-system
            """,
        ]
        let findings = try Self.schemaFindings(files)
        #expect(findings.isEmpty, "\(findings.map(Self.describe))")
    }
}
