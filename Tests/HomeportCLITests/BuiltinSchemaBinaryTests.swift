import Foundation
import Testing
import TestSupport

/// The schemas travel inside the binary: a copy of it alone, with no schema directory, cache
/// or environment variable, still validates Kubernetes kinds and CRDs.
struct BuiltinSchemaBinaryTests {
    @Test func aCopiedBinaryValidatesWithNoFlagsAndNoFiles() throws {
        let elsewhere = try TemporaryRepo()
        let binary = elsewhere.root + "/bin/homeport"
        try FileManager.default.createDirectory(atPath: elsewhere.root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: HomeportBinary.path, toPath: binary)
        let repo = try TemporaryRepo(files: [
            "cluster/kubernetes/flux/kustomization.yaml": "resources:\n- app.yaml\n",
            "cluster/kubernetes/flux/app.yaml": """
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
                      colour: blue
            ---
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
            """,
        ])
        let home = elsewhere.root + "/home"
        let result = try TestProcess.run(binary, ["check", "--repo", repo.root, "--only", "k8s.schema"],
                                         environment: ["HOME": home, "XDG_CACHE_HOME": home + "/.cache", "HOMEPORT_SCHEMA_LOCATION": ""],
                                         directory: elsewhere.root)
        #expect(result.status == 1, "\(result.standardOutput)\(result.standardError)")
        let output = result.standardOutput
        #expect(output.contains("cluster/kubernetes/flux/app.yaml:7:"), "\(output)")
        #expect(output.contains("spec.replicas: expected integer, got a string"), "\(output)")
        #expect(output.contains("unknown field 'colour'"), "\(output)")
        #expect(output.contains("spec.interval: expected string, got an integer"), "\(output)")
        #expect(!output.contains("not schema-checked"), "\(output)")
    }
}
