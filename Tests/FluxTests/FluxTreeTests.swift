import Flux
import Foundation
import Kustomize
import Manifests
import Testing
import TestSupport

@Suite struct FluxTreeTests {
    static func ks(_ name: String, path: String, extra: String = "", namespace: String = "flux-system") -> String {
        """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          interval: 1h
          path: \(path)
          prune: true
          sourceRef:
            kind: GitRepository
            name: flux-system
            namespace: flux-system
        \(extra)
        """
    }

    static func tree(_ files: [String: String], entrypoint: String = "flux") -> FluxTree {
        FluxTreeBuilder(snapshot: RepoScanner.snapshot(files: files)).build(entrypoint: entrypoint)
    }

    @Test func corpusTreeListsEveryKustomizationAndReportsTheOneBrokenBuild() throws {
        guard let corpus = SharedData.path("corpus/bjw-s-labs-home-ops") else {
            #expect(!SharedData.isCI, "the corpus is required in CI")
            return
        }
        let snapshot = try RepoScanner().scan(root: corpus)
        let tree = FluxTreeBuilder(snapshot: snapshot).build(entrypoint: "kubernetes/flux/cluster")
        // The root sync plus the 93 Flux Kustomizations of the repository.
        #expect(tree.kustomizations.count == 94)
        let broken = tree.kustomizations.filter { !$0.errors.filter { $0.kind == .build }.isEmpty }
        #expect(broken.map(\.reference.name) == ["webhook"])
        let error = broken.first?.errors.first
        #expect(error?.location.path == "kubernetes/apps/selfhosted/webhook/app/kustomization.yaml")
        #expect(error?.location.line == 13)
        #expect(tree.allProblems.filter { $0.kind == .undefinedVariable }.isEmpty)
        let atuin = tree.kustomizations(named: "atuin", namespace: "selfhosted").first
        #expect(atuin?.path == "kubernetes/apps/selfhosted/atuin/app")
        // The component from spec.components and the APP substitution are applied.
        let rendered = atuin.map(FluxTreeFormat.build) ?? ""
        #expect(!rendered.contains("${APP}"))
        #expect(rendered.contains("kustomize.toolkit.fluxcd.io/name: atuin"))
        #expect(atuin?.objects.allSatisfy { $0.namespace == "selfhosted" || $0.namespace.isEmpty } == true)
        #expect(atuin?.objects.contains { $0.kind == "ReplicationSource" || $0.sourcePath.contains("components/kopiur") } == true)
    }

    @Test func followsSpecPathAndGeneratesAKustomizationWhenNoneExists() {
        let tree = Self.tree([
            "flux/kustomization.yaml": "resources:\n- apps.yaml\n",
            "flux/apps.yaml": Self.ks("apps", path: "./apps"),
            "apps/a/deploy.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
            "apps/b/kustomization.yaml": "resources:\n- cm.yaml\n",
            "apps/b/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
            "apps/b/ignored.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-listed\n",
        ])
        let apps = tree.kustomizations(named: "apps", namespace: "flux-system").first
        #expect(apps?.objects.map(\.name).sorted() == ["a", "b"])
        #expect(apps?.errors.isEmpty == true)
    }

    @Test func appliesTheKustomizationsOwnFields() {
        let extra = """
          targetNamespace: shop
          namePrefix: x-
          images:
            - name: nginx
              newTag: "1.27"
          components:
            - ../components/extra
          commonMetadata:
            labels:
              team: web
          patches:
            - target:
                kind: Deployment
              patch: |
                - op: add
                  path: /spec/replicas
                  value: 2
        """
        let tree = Self.tree([
            "flux/kustomization.yaml": "resources:\n- app.yaml\n",
            "flux/app.yaml": Self.ks("app", path: "./apps/app", extra: extra),
            "apps/app/kustomization.yaml": "resources:\n- deploy.yaml\n",
            "apps/app/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n",
            "apps/components/extra/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- cm.yaml\n",
            "apps/components/extra/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n",
        ])
        let objects = tree.kustomizations(named: "app", namespace: nil).first?.objects ?? []
        let deployment = objects.first { $0.kind == "Deployment" }
        #expect(deployment?.name == "x-web")
        #expect(deployment?.namespace == "shop")
        #expect(deployment?.node[path: "spec.replicas"]?.int == 2)
        #expect(deployment?.node[path: "metadata.labels.team"]?.string == "web")
        #expect(deployment?.node[path: "spec.template.spec.containers"]?.sequence?.items.first?["image"]?.string == "nginx:1.27")
        #expect(objects.contains { $0.name == "x-extra" })
    }

    @Test func substitutesVariablesDefaultsEscapesAndHonoursTheDisabledAnnotation() {
        let extra = """
          postBuild:
            substitute:
              APP: shop
            substituteFrom:
              - kind: ConfigMap
                name: cluster-settings
        """
        let tree = Self.tree([
            "flux/kustomization.yaml": "resources:\n- settings.yaml\n- app.yaml\n",
            "flux/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  DOMAIN: example.com\n",
            "flux/app.yaml": Self.ks("app", path: "./app", extra: extra),
            "app/cm.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ${APP}
            data:
              host: ${APP}.${DOMAIN}
              size: ${SIZE:=5Gi}
              literal: $${APP}
              bare: $APP
              missing: x${NOPE}y
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: raw
              annotations:
                kustomize.toolkit.fluxcd.io/substitute: disabled
            data:
              kept: ${APP}
            """,
        ])
        let app = tree.kustomizations(named: "app", namespace: nil).first
        let shop = app?.objects.first { $0.name == "shop" }
        #expect(shop?.node[path: "data.host"]?.string == "shop.example.com")
        #expect(shop?.node[path: "data.size"]?.string == "5Gi")
        #expect(shop?.node[path: "data.literal"]?.string == "${APP}")
        #expect(shop?.node[path: "data.bare"]?.string == "$APP")
        #expect(shop?.node[path: "data.missing"]?.string == "xy")
        #expect(app?.objects.first { $0.name == "raw" }?.node[path: "data.kept"]?.string == "${APP}")
        let undefined = app?.errors.filter { $0.kind == .undefinedVariable } ?? []
        #expect(undefined.map(\.variable) == ["NOPE"])
        #expect(undefined.first?.location == FluxLocation(path: "app/cm.yaml", line: 10))
    }

    @Test func encryptedSubstitutionSecretsBecomePlaceholdersWithANotice() {
        let extra = """
          postBuild:
            substituteFrom:
              - kind: Secret
                name: cluster-secrets
        """
        let tree = Self.tree([
            "flux/kustomization.yaml": "resources:\n- secret.sops.yaml\n- app.yaml\n",
            "flux/secret.sops.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-secrets\n  namespace: flux-system\nstringData:\n  TOKEN: ENC[AES256_GCM,data:abc,type:str]\nsops:\n  version: 3.9.0\n",
            "flux/app.yaml": Self.ks("app", path: "./app", extra: extra),
            "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  token: ${TOKEN}\n",
        ])
        let app = tree.kustomizations(named: "app", namespace: nil).first
        #expect(app?.objects.first?.node[path: "data.token"]?.string == "placeholder-token")
        #expect(app?.errors.map(\.kind) == [.encryptedSubstitution])
        #expect(app?.errors.first?.message.contains("ENC[") == false)
    }

    @Test func missingPathAndBrokenBuildsAreReportedAndTheRestStillBuilds() {
        let tree = Self.tree([
            "flux/kustomization.yaml": "resources:\n- a.yaml\n- b.yaml\n- c.yaml\n",
            "flux/a.yaml": Self.ks("a", path: "./missing"),
            "flux/b.yaml": Self.ks("b", path: "./broken"),
            "flux/c.yaml": Self.ks("c", path: "./good"),
            "broken/kustomization.yaml": "resources:\n- nope.yaml\n",
            "good/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n",
        ])
        #expect(tree.kustomizations(named: "a", namespace: nil).first?.errors.first?.location == FluxLocation(path: "flux/a.yaml", line: 8))
        #expect(tree.kustomizations(named: "b", namespace: nil).first?.errors.first?.location == FluxLocation(path: "broken/kustomization.yaml", line: 2))
        #expect(tree.kustomizations(named: "c", namespace: nil).first?.objects.count == 1)
    }

    @Test func resourceSetsGenerateKustomizationsFromInputs() {
        let resourceSet = """
        apiVersion: fluxcd.controlplane.io/v1
        kind: ResourceSet
        metadata:
          name: apps
          namespace: flux-system
        spec:
          inputs:
            - app: one
            - app: two
          resources:
            - apiVersion: kustomize.toolkit.fluxcd.io/v1
              kind: Kustomization
              metadata:
                name: << inputs.app >>
              spec:
                path: ./apps/<< inputs.app >>
                sourceRef:
                  kind: GitRepository
                  name: flux-system
        """
        let tree = Self.tree([
            "flux/kustomization.yaml": "resources:\n- rs.yaml\n",
            "flux/rs.yaml": resourceSet,
            "apps/one/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n",
            "apps/two/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n",
        ])
        #expect(tree.kustomizations.map(\.reference.name).sorted() == ["flux-system", "one", "two"])
        #expect(tree.kustomizations(named: "two", namespace: "flux-system").first?.objects.first?.name == "two")
    }

    @Test func treeJSONHasTheDocumentedFields() throws {
        let tree = Self.tree([
            "flux/kustomization.yaml": "resources:\n- a.yaml\n",
            "flux/a.yaml": Self.ks("a", path: "./a", extra: "  dependsOn:\n    - name: b\n"),
            "a/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        ])
        let json = try JSONSerialization.jsonObject(with: Data(FluxTreeFormat.json(tree).utf8)) as? [[String: Any]]
        let entry = json?.first { $0["name"] as? String == "a" }
        #expect(entry?["namespace"] as? String == "flux-system")
        #expect(entry?["path"] as? String == "a")
        #expect(entry?["dependsOn"] as? [String] == ["flux-system/b"])
        #expect(entry?["objects"] as? Int == 1)
        #expect((entry?["errors"] as? [String])?.isEmpty == true)
        #expect(FluxTreeFormat.mermaid(tree).contains("dependsOn"))
    }

    @Test func substitutionEngine() {
        #expect(Substitution.apply("${A:-x}-${B=y}-${C}", variables: ["C": "c"]).text == "x-y-c")
        #expect(Substitution.apply("${A}", variables: [:]).undefined == ["A"])
        #expect(Substitution.apply("${CLAIM:-${APP}}", variables: ["APP": "shop"]).text == "shop")
        #expect(Substitution.apply("${CLAIM:-${APP}}", variables: [:]).undefined == ["APP"])
        #expect(Substitution.references(in: "$${A} ${B:=1} ${C}").map(\.name) == ["B", "C"])
    }
}

@Suite struct FluxDiffTests {
    @Test func diffShowsChangedAddedAndRemovedObjects() {
        let base = [
            "flux/kustomization.yaml": "resources:\n- app.yaml\n",
            "flux/app.yaml": FluxTreeTests.ks("app", path: "./app"),
            "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n",
            "app/old.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n",
        ]
        var changed = base
        changed["app/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: debug\n"
        changed["app/old.yaml"] = nil
        changed["app/new.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n"
        let diff = FluxDiff.unified(old: FluxTreeTests.tree(base), new: FluxTreeTests.tree(changed))
        #expect(diff.contains("--- a/flux-system/app/ConfigMap/_/settings\n+++ b/flux-system/app/ConfigMap/_/settings"))
        #expect(diff.contains("-  level: info\n+  level: debug"))
        #expect(diff.contains("--- /dev/null\n+++ b/flux-system/app/ConfigMap/_/new"))
        #expect(diff.contains("--- a/flux-system/app/ConfigMap/_/old\n+++ /dev/null"))
        #expect(FluxDiff.unified(old: FluxTreeTests.tree(base), new: FluxTreeTests.tree(base)).isEmpty)
    }
}

@Suite struct FluxSourceTests {
    @Test func artifactGeneratorsProvideExternalArtifactsAndTheyAreNotRendered() {
        let generator = """
        apiVersion: source.extensions.fluxcd.io/v1beta1
        kind: ArtifactGenerator
        metadata:
          name: apps
          namespace: flux-system
        spec:
          sources:
            - alias: repo
              kind: GitRepository
              name: flux-system
          artifacts:
            - name: apps-production
              copy:
                - from: "@repo/apps/**"
                  to: "@artifact/"
        """
        let consumer = """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: apps
          namespace: flux-system
        spec:
          path: ./
          sourceRef:
            kind: ExternalArtifact
            name: apps-production
        """
        let tree = FluxTreeTests.tree([
            "flux/kustomization.yaml": "resources:\n- generator.yaml\n- apps.yaml\n",
            "flux/generator.yaml": generator,
            "flux/apps.yaml": consumer,
        ])
        #expect(tree.sources.contains(FluxReference(kind: "ExternalArtifact", name: "apps-production", namespace: "flux-system")))
        let apps = tree.kustomizations(named: "apps", namespace: "flux-system").first
        #expect(apps?.isLocal == false)
        #expect(apps?.errors.map(\.kind) == [.externalSource])
    }
}

@Suite struct FluxInstanceTests {
    @Test func aFluxInstanceSyncingAnotherPathBecomesTheFluxSystemKustomization() {
        let instance = """
        apiVersion: fluxcd.controlplane.io/v1
        kind: FluxInstance
        metadata:
          name: flux
          namespace: flux-system
        spec:
          distribution:
            version: "2.7.3"
          sync:
            kind: GitRepository
            url: https://example.com/repo.git
            ref: refs/heads/main
            path: clusters/main
          kustomize:
            patches:
              - target:
                  kind: Kustomization
                patch: |
                  - op: add
                    path: /spec/decryption
                    value:
                      provider: sops
        """
        let tree = FluxTreeTests.tree([
            "bootstrap/kustomization.yaml": "resources:\n- instance.yaml\n",
            "bootstrap/instance.yaml": instance,
            "clusters/main/apps.yaml": FluxTreeTests.ks("apps", path: "./apps"),
            "apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
        ], entrypoint: "bootstrap")
        let names = tree.kustomizations.map { "\($0.reference.name)<\($0.parent?.name ?? "-")" }
        #expect(names == ["bootstrap<-", "flux-system<bootstrap", "apps<flux-system"])
        let sync = tree.kustomizations.first { $0.reference.name == "flux-system" }
        #expect(sync?.path == "clusters/main")
        #expect(sync?.spec?[path: "decryption.provider"]?.string == "sops")
        #expect(tree.kustomizations(named: "apps", namespace: nil).first?.objects.count == 1)
    }

    @Test func aFluxInstanceSyncingTheEntrypointAddsNothing() throws {
        let snapshot = try RepoScanner().scan(root: SharedData.packageRoot)
        let tree = FluxTreeBuilder(snapshot: snapshot).build(entrypoint: "cluster/kubernetes/flux")
        // Exactly the Flux Kustomizations declared in the entrypoint, plus the operator's sync.
        let declared = snapshot.files(under: "cluster/kubernetes/flux").flatMap(\.documents)
            .filter { $0.kind == "Kustomization" && $0.apiVersion?.hasPrefix("kustomize.toolkit.fluxcd.io/") == true }
            .compactMap(\.name)
        #expect(declared.count > 2)
        #expect(tree.kustomizations.map(\.reference.name).sorted() == (declared + ["flux-system"]).sorted())
        #expect(tree.allProblems.filter { $0.kind != .externalSource }.isEmpty)
        // The FluxInstance patches decryption into the operator's sync Kustomization.
        #expect(tree.kustomizations.first { $0.parent == nil }?.spec?[path: "decryption.provider"]?.string == "sops")
    }
}
