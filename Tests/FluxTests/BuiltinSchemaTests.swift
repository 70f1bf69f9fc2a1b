@testable import Flux
import Foundation
import Manifests
import TestSupport
import Testing

/// The schemas carried inside the binary: every chunk decodes, the right minor is chosen, and
/// the precedence and strictness rules of `k8s.schema` hold without any schema location.
@Suite struct BuiltinSchemaTests {
    /// Looks up and validates the first document of `yaml` with only the built-in schemas (plus
    /// the repository files in `extra`).
    static func validate(_ yaml: String, extra: [String: String] = [:], sources: SchemaSources = SchemaSources())
        -> (violations: [SchemaViolation], validator: SchemaValidator, origin: String)? {
        var files = extra
        files["object.yaml"] = yaml
        let snapshot = RepoScanner.snapshot(files: files)
        guard let node = snapshot.file("object.yaml")?.yaml?.documents.first,
              let apiVersion = node["apiVersion"]?.string, let kind = node["kind"]?.string,
              case .found(let schema, let validator, let origin) = SchemaCatalog(sources: sources, snapshot: snapshot).lookup(apiVersion: apiVersion, kind: kind)
        else { return nil }
        return (validator.validate(node, against: schema), validator, origin)
    }

    static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
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
              resources:
                limits:
                  memory: 128Mi
          restartPolicyy: Always
    """

    static let helmRelease = """
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: app
      namespace: apps
    spec:
      interval: 30
      chartRef:
        kind: OCIRepository
        name: app
      valuesFromm: []
      values:
        anything: goes
    """

    @Test func everyChunkAndEntryDecodes() throws {
        let store = BuiltinSchemaStore.shared
        let names = try store.chunkNames()
        #expect(names.filter { $0.hasPrefix("k8s/") }.sorted() == BuiltinSchemas.kubernetesMinors.map { "k8s/\($0)" })
        #expect(names.filter { $0.hasPrefix("crd/") }.count > 300)
        var entries = 0
        for name in names {
            let chunk = try #require(try store.chunk(named: name))
            for entry in chunk.entryNames {
                _ = try #require(try chunk.schema(entry), "\(name) \(entry)")
                entries += 1
            }
        }
        #expect(entries > 3000)
    }

    @Test func theThreeNewestMinorsAreBuiltIn() {
        #expect(BuiltinSchemas.kubernetesMinors == [35, 36, 37])
    }

    @Test func versionChoiceUsesTheClusterMinorOrTheNearestAndSaysSo() {
        #expect(BuiltinSchemas.kubernetesChoice(for: "1.36.3") == .init(minor: 36, substitution: nil))
        #expect(BuiltinSchemas.kubernetesChoice(for: "v1.35.0") == .init(minor: 35, substitution: nil))
        #expect(BuiltinSchemas.kubernetesChoice(for: nil) == .init(minor: 37, substitution: nil))
        let older = BuiltinSchemas.kubernetesChoice(for: "1.33.2")
        #expect(older.minor == 35)
        #expect(older.substitution?.contains("Kubernetes 1.33 has no built-in schemas; validated against 1.35") == true)
        #expect(BuiltinSchemas.kubernetesChoice(for: "1.40.0").minor == 37)
        #expect(BuiltinSchemas.kubernetesChoice(for: "latest").substitution?.contains("not a 1.x version") == true)
    }

    @Test func deploymentTypeErrorAndUnknownFieldAreErrors() throws {
        let result = try #require(Self.validate(Self.deployment))
        #expect(result.origin == "built-in Kubernetes 1.37 schema")
        #expect(!result.validator.unknownFieldsAreWarnings)
        #expect(result.violations.map(\.path) == ["spec.replicas", "spec.template.spec.restartPolicyy"])
        #expect(result.violations.map(\.mark.line) == [6, 21])
        #expect(result.violations.first?.message.contains("expected integer, got a string") == true)
        #expect(result.violations.last?.isUnknownField == true)
    }

    @Test func helmReleaseTypeErrorIsAnErrorAndUnknownFieldIsLenient() throws {
        let result = try #require(Self.validate(Self.helmRelease))
        #expect(result.origin == "built-in CRD snapshot")
        #expect(result.validator.unknownFieldsAreWarnings)
        #expect(result.violations.map(\.path) == ["spec.interval", "spec.valuesFromm"])
        #expect(result.violations.first?.isUnknownField == false)
        #expect(result.violations.last?.isUnknownField == true)
    }

    @Test func unknownTopLevelFieldOfABuiltInCRDIsFound() throws {
        let yaml = "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\nspecs: {}\n"
        let result = try #require(Self.validate(yaml))
        #expect(result.violations.map(\.path) == ["specs"])
    }

    @Test func apiVersionKindAndMetadataAreAllowedWhereTheCatalogLeavesThemOut() throws {
        // The catalog's talos.dev ServiceAccount schema lists only spec and status at the root.
        let yaml = "apiVersion: talos.dev/v1alpha1\nkind: ServiceAccount\nmetadata:\n  name: backup\nspec:\n  roles: [os:etcd:backup]\n"
        let result = try #require(Self.validate(yaml))
        #expect(result.violations.isEmpty, "\(result.violations.map(\.message))")
    }

    @Test func theClusterMinorDecidesWhichKindsExist() throws {
        let policy = "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicy\nmetadata:\n  name: p\n"
        #expect(Self.validate(policy, sources: SchemaSources(kubernetesVersion: "1.37.0")) != nil)
        #expect(Self.validate(policy, sources: SchemaSources(kubernetesVersion: "1.35.1")) == nil)
        // Without a flag, the cluster definition's talos.kubernetesVersion decides.
        let definition = ["config/clusters/home.yaml": "talos:\n  kubernetesVersion: v1.35.4\n"]
        #expect(Self.validate(policy, extra: definition) == nil)
        let serviceCIDR = "apiVersion: networking.k8s.io/v1beta1\nkind: ServiceCIDR\nmetadata:\n  name: s\n"
        #expect(Self.validate(serviceCIDR, extra: definition)?.origin == "built-in Kubernetes 1.35 schema")
    }

    @Test func aCRDInTheRepositoryWinsOverTheBuiltInSnapshot() throws {
        let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: helmreleases.helm.toolkit.fluxcd.io
        spec:
          group: helm.toolkit.fluxcd.io
          names:
            kind: HelmRelease
            plural: helmreleases
          scope: Namespaced
          versions:
            - name: v2
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        interval:
                          type: integer
                        chartRef:
                          type: object
                          x-kubernetes-preserve-unknown-fields: true
                        values:
                          type: object
                          x-kubernetes-preserve-unknown-fields: true
        """
        let result = try #require(Self.validate(Self.helmRelease, extra: ["crds/helmrelease.yaml": crd]))
        #expect(result.origin == "CRD in the repository")
        #expect(!result.validator.unknownFieldsAreWarnings)
        // interval is an integer in this CRD: only the unknown field remains, and it is strict.
        #expect(result.violations.map(\.path) == ["spec.valuesFromm"])
    }

    @Test func aSchemaLocationOverridesTheBuiltInSnapshot() throws {
        let repo = try TemporaryRepo(files: [
            "helm.toolkit.fluxcd.io/helmrelease_v2.json": #"{"type": "object", "properties": {"spec": {"type": "object", "properties": {"interval": {"type": "integer"}}}}}"#,
        ])
        let sources = SchemaSources.load(locations: [repo.root], kubernetesVersion: nil,
                                         kinds: [.init(apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease")])
        let result = try #require(Self.validate(Self.helmRelease, sources: sources))
        #expect(result.origin == "schema-location file helm.toolkit.fluxcd.io/helmrelease_v2.json")
        #expect(result.violations.isEmpty)
    }

    @Test func builtInsCanBeTurnedOff() {
        var sources = SchemaSources()
        sources.usesBuiltins = false
        #expect(Self.validate(Self.deployment, sources: sources) == nil)
    }

    @Test func fluxAndFluxOperatorKindsAreAllBuiltIn() throws {
        let kinds = [
            ("source.toolkit.fluxcd.io/v1", "GitRepository"), ("source.toolkit.fluxcd.io/v1", "OCIRepository"),
            ("source.toolkit.fluxcd.io/v1", "HelmRepository"), ("source.toolkit.fluxcd.io/v1", "Bucket"),
            ("source.toolkit.fluxcd.io/v1", "HelmChart"), ("source.toolkit.fluxcd.io/v1", "ExternalArtifact"),
            ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"), ("helm.toolkit.fluxcd.io/v2", "HelmRelease"),
            ("notification.toolkit.fluxcd.io/v1beta3", "Alert"), ("notification.toolkit.fluxcd.io/v1beta3", "Provider"),
            ("notification.toolkit.fluxcd.io/v1", "Receiver"), ("image.toolkit.fluxcd.io/v1", "ImagePolicy"),
            ("image.toolkit.fluxcd.io/v1", "ImageRepository"), ("image.toolkit.fluxcd.io/v1", "ImageUpdateAutomation"),
            ("fluxcd.controlplane.io/v1", "FluxInstance"), ("fluxcd.controlplane.io/v1", "ResourceSet"),
            ("fluxcd.controlplane.io/v1", "ResourceSetInputProvider"), ("fluxcd.controlplane.io/v1", "FluxReport"),
        ]
        let catalog = SchemaCatalog(sources: SchemaSources(), snapshot: RepoScanner.snapshot(files: [:]))
        for (apiVersion, kind) in kinds {
            guard case .found(_, _, let origin) = catalog.lookup(apiVersion: apiVersion, kind: kind) else {
                Issue.record("no built-in schema for \(apiVersion) \(kind)")
                continue
            }
            #expect(origin == "built-in CRD snapshot")
        }
    }
}
