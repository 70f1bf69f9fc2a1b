import Flux
import Foundation
import Kustomize
import Manifests
import TestSupport
import Testing

@Suite struct SchemaTests {
    static let builtinRoot: String? = {
        if let explicit = ProcessInfo.processInfo.environment["HOMEPORT_K8S_SCHEMAS"] { return explicit }
        guard let python = TestProcess.which("python3"),
              let result = try? TestProcess.run(python, ["-c", "import kubernetes_validate, os; print(os.path.join(os.path.dirname(kubernetes_validate.__file__), 'kubernetes-json-schema'))"]),
              result.status == 0 else { return nil }
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    static func violations(_ yaml: String, locations: [String], version: String? = "1.36.3", extraFiles: [String: String] = [:]) -> [SchemaViolation]? {
        var files = extraFiles
        files["object.yaml"] = yaml
        let snapshot = RepoScanner.snapshot(files: files)
        guard let node = snapshot.file("object.yaml")?.yaml?.documents.first,
              let apiVersion = node["apiVersion"]?.string, let kind = node["kind"]?.string else { return nil }
        let sources = SchemaSources.load(locations: locations, kubernetesVersion: version, kinds: [GroupVersionKind(apiVersion: apiVersion, kind: kind)])
        guard case .found(let schema, let validator, _) = SchemaCatalog(sources: sources, snapshot: snapshot).lookup(apiVersion: apiVersion, kind: kind) else {
            return nil
        }
        return validator.validate(node, against: schema)
    }

    @Test func builtInKindsAreStrictAboutTypesAndUnknownFields() throws {
        guard let root = Self.builtinRoot, FileManager.default.fileExists(atPath: root) else {
            #expect(!SharedData.isCI, "kubernetes-validate (pip) is required in CI")
            print("skipping: kubernetes-validate schemas not installed")
            return
        }
        let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: two
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
                  imagePullPolicy: Always
                  ports:
                    - containerPort: 80
                      protocol: TCP
                  resources:
                    limits:
                      memory: 128Mi
                  livenessProbe:
                    httpGet:
                      port: http
              restartPolicyy: Always
        """
        let found = try #require(Self.violations(deployment, locations: [root]))
        #expect(found.map(\.path) == ["spec.replicas", "spec.template.spec.restartPolicyy"])
        #expect(found.map(\.mark.line) == [6, 28])
        #expect(found.first?.message.contains("expected integer") == true)
        #expect(found.last?.message.contains("unknown field") == true)
    }

    @Test func builtInSchemaVersionFollowsTheClusterVersion() throws {
        guard let root = Self.builtinRoot, FileManager.default.fileExists(atPath: root) else { return }
        let sources = SchemaSources.load(locations: [root], kubernetesVersion: "1.36.3", kinds: [])
        #expect(sources.builtinDirectory?.hasSuffix("/v1.36.0-local-strict") == true)
        let newest = SchemaSources.load(locations: [root], kubernetesVersion: nil, kinds: [])
        #expect(newest.builtinDirectory?.hasSuffix("-local-strict") == true)
    }

    @Test func catalogSchemasValidateCustomResources() throws {
        guard let catalog = SharedData.path("crd-schemas") else {
            #expect(!SharedData.isCI, "crd-schemas is required in CI")
            return
        }
        let release = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  interval: 30m\n  chartRef:\n    kind: OCIRepository\n    name: web\n  upgrade:\n    retries: 3\n"
        let found = try #require(Self.violations(release, locations: [catalog]))
        #expect(found.map(\.path) == ["spec.upgrade.retries"])
        #expect(found.first?.mark.line == 11)
    }

    @Test func crdsInTheRepositoryAreConvertedToSchemas() throws {
        let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names:
            kind: Widget
          versions:
            - name: v1
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      required: [size]
                      properties:
                        size:
                          type: integer
                        mode:
                          type: string
                          enum: [fast, slow]
                        extra:
                          type: object
                          x-kubernetes-preserve-unknown-fields: true
                        port:
                          x-kubernetes-int-or-string: true
        """
        let widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  mode: medium\n  extra:\n    anything: 1\n  port: http\n  sizes: 1\n"
        let found = try #require(Self.violations(widget, locations: [], extraFiles: ["crd.yaml": crd]))
        #expect(Set(found.map(\.path)) == ["spec", "spec.mode", "spec.sizes"])
        #expect(found.contains { $0.message == "missing required field 'size'" })
    }
}
