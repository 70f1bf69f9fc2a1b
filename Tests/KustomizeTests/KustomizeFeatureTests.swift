import Foundation
import Kustomize
import Manifests
import Testing
import TestSupport

/// One test per kustomize feature. Each fixture directory under Tests/Fixtures/kustomize holds
/// the input and `expected.yaml`, which `kubectl kustomize --load-restrictor
/// LoadRestrictionsNone` produced from that input (`KubectlAgreementTests` re-checks this
/// whenever kubectl is installed).
@Suite struct KustomizeFeatureTests {
    static let fixtures = SharedData.packageRoot + "/Tests/Fixtures/kustomize"

    static func expectSameAsKubectl(_ name: String) throws {
        let directory = fixtures + "/" + name
        let expected = try String(contentsOfFile: directory + "/expected.yaml", encoding: .utf8)
        let built = try Kustomizer(files: DiskFileSource()).build(directory: directory)
        let actual = Kustomizer.render(built)
        let difference = YAMLTrees.difference(expected, actual)
        #expect(difference == nil, "\(name): \(difference ?? "")")
    }

    @Test func resourcesFilesDirectoriesAndNestedKustomizations() throws { try Self.expectSameAsKubectl("resources") }
    @Test func components() throws { try Self.expectSameAsKubectl("components") }
    @Test func namespace() throws { try Self.expectSameAsKubectl("namespace") }
    @Test func namePrefixAndSuffix() throws { try Self.expectSameAsKubectl("name-prefix-suffix") }
    @Test func labels() throws { try Self.expectSameAsKubectl("labels") }
    @Test func commonLabels() throws { try Self.expectSameAsKubectl("common-labels") }
    @Test func commonAnnotations() throws { try Self.expectSameAsKubectl("common-annotations") }
    @Test func strategicMergePatchesWithBuiltinMergeKeys() throws { try Self.expectSameAsKubectl("patches-strategic-merge") }
    @Test func json6902Patches() throws { try Self.expectSameAsKubectl("patches-json6902") }
    @Test func patchTargetSelectors() throws { try Self.expectSameAsKubectl("patch-targets") }
    @Test func patchesStrategicMergeField() throws { try Self.expectSameAsKubectl("patches-strategic-merge-field") }
    @Test func patchesJson6902Field() throws { try Self.expectSameAsKubectl("patches-json6902-field") }
    @Test func images() throws { try Self.expectSameAsKubectl("images") }
    @Test func replicas() throws { try Self.expectSameAsKubectl("replicas") }
    @Test func configMapGeneratorWithHashAndNameReferences() throws { try Self.expectSameAsKubectl("configmap-generator") }
    @Test func secretGenerator() throws { try Self.expectSameAsKubectl("secret-generator") }
    @Test func generatorBehaviorMergeAndReplace() throws { try Self.expectSameAsKubectl("generator-behavior") }
    @Test func generatorOptions() throws { try Self.expectSameAsKubectl("generator-options") }
    @Test func replacements() throws { try Self.expectSameAsKubectl("replacements") }
    @Test func sortOptionsFifo() throws { try Self.expectSameAsKubectl("sort-options") }
    @Test func sortOptionsLegacyCustomOrder() throws { try Self.expectSameAsKubectl("sort-options-legacy") }
    @Test func legacyOrderByKind() throws { try Self.expectSameAsKubectl("legacy-order") }
    @Test func noLoadRestrictions() throws { try Self.expectSameAsKubectl("load-restrictor") }
    @Test func nameReferencesFollowRenamedObjects() throws { try Self.expectSameAsKubectl("name-references") }

    @Test func replacementsLoadedFromFiles() throws { try Self.expectSameAsKubectl("replacements-path") }

    @Test func foldedAndLiteralScalarsAreReadAndWrittenAsKubectlDoes() throws {
        // Byte for byte: go-yaml keeps an extra line break before a more-indented line of a
        // folded scalar, which a tree comparison with the same parser would not see.
        let directory = Self.fixtures + "/folded-scalars"
        let expected = try String(contentsOfFile: directory + "/expected.yaml", encoding: .utf8)
        let actual = Kustomizer.render(try Kustomizer(files: DiskFileSource()).build(directory: directory))
        #expect(actual == expected)
    }

    @Test func replacementWithBothPathAndInlineIsRefusedAsKubectlDoes() throws {
        let repo = try TemporaryRepo(files: [
            "k/kustomization.yaml": "resources: []\nreplacements:\n- path: r.yaml\n  source:\n    kind: ConfigMap\n",
            "k/r.yaml": "source:\n  kind: ConfigMap\n",
        ])
        let error = #expect(throws: KustomizeError.self) { try Kustomizer(files: DiskFileSource()).build(directory: repo.root + "/k") }
        #expect(error?.message == "cannot specify both path and inline replacement")
        #expect(error?.line == 3)
    }

    @Test func wrongAPIVersionOrKindIsRefusedWithKubectlsReason() throws {
        let cases = [
            ("apiVersion: kustomize.config.k8s.io/v1\nkind: Kustomization\nresources: []\n", "apiVersion for Kustomization should be kustomize.config.k8s.io/v1beta1", 1),
            ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Component\nresources: []\n", "apiVersion for Component should be kustomize.config.k8s.io/v1alpha1", 1),
            ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomisation\nresources: []\n", "kind should be Kustomization or Component", 2),
        ]
        for (text, reason, line) in cases {
            let repo = try TemporaryRepo(files: ["k/kustomization.yaml": text])
            let error = #expect(throws: KustomizeError.self) { try Kustomizer(files: DiskFileSource()).build(directory: repo.root + "/k") }
            #expect(error?.message == reason)
            #expect(error?.line == line)
            if KubectlKustomize.executable != nil, let kubectl = try KubectlKustomize.build(repo.root + "/k") {
                #expect(!kubectl.succeeded)
                #expect(kubectl.output.contains(reason) || kubectl.error.contains(reason), "kubectl gives another reason for \(text)")
            }
        }
        // Without apiVersion, or with the right one, it builds.
        for text in ["resources: []\n", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n"] {
            let repo = try TemporaryRepo(files: ["k/kustomization.yaml": text])
            #expect(throws: Never.self) { try Kustomizer(files: DiskFileSource()).build(directory: repo.root + "/k") }
        }
    }

    @Test func helmChartsAreAnErrorNamingTheFieldAndFile() throws {
        let directory = Self.fixtures + "/unsupported-helm-charts"
        let error = #expect(throws: KustomizeError.self) { try Kustomizer(files: DiskFileSource()).build(directory: directory) }
        #expect(error?.message.contains("helmCharts") == true)
        #expect(error?.path == directory + "/kustomization.yaml")
        #expect(error?.line == 1)
    }

    @Test func remoteResourcesAreAnErrorWithTheLine() throws {
        let directory = Self.fixtures + "/unsupported-remote"
        let error = #expect(throws: KustomizeError.self) { try Kustomizer(files: DiskFileSource()).build(directory: directory) }
        #expect(error?.message.contains("remote resource") == true)
        #expect(error?.line == 2)
    }

    @Test func missingResourceIsAnErrorWithTheLine() throws {
        let directory = Self.fixtures + "/missing-resource"
        let error = #expect(throws: KustomizeError.self) { try Kustomizer(files: DiskFileSource()).build(directory: directory) }
        #expect(error?.message.contains("nowhere.yaml") == true)
        #expect(error?.line == 2)
    }

    @Test func unknownKustomizationFieldIsAnError() throws {
        let repo = try TemporaryRepo(files: ["k/kustomization.yaml": "resources: []\nnameSufix: -x\n"])
        let error = #expect(throws: KustomizeError.self) { try Kustomizer(files: DiskFileSource()).build(directory: repo.root + "/k") }
        #expect(error?.message.contains("nameSufix") == true)
        #expect(error?.line == 2)
    }

    @Test func duplicateObjectsAreAnError() throws {
        let object = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n"
        let repo = try TemporaryRepo(files: ["k/kustomization.yaml": "resources:\n- a.yaml\n- b.yaml\n", "k/a.yaml": object, "k/b.yaml": object])
        #expect(throws: KustomizeError.self) { try Kustomizer(files: DiskFileSource()).build(directory: repo.root + "/k") }
    }

    @Test func snapshotSourceBuildsTheSameAsTheDisk() throws {
        let directory = Self.fixtures + "/configmap-generator"
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name != "expected.yaml" {
            files["app/" + name] = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        }
        let snapshot = RepoScanner.snapshot(files: files)
        let fromSnapshot = try Kustomizer(files: SnapshotFileSource(snapshot: snapshot)).build(directory: "app")
        let fromDisk = try Kustomizer(files: DiskFileSource()).build(directory: directory)
        #expect(Kustomizer.render(fromSnapshot) == Kustomizer.render(fromDisk))
    }
}

/// The committed expected outputs are what kubectl prints today, byte for byte where homeport
/// also matches bytes.
@Suite struct KubectlAgreementTests {
    @Test func expectedOutputsAreKubectlOutputs() throws {
        guard KubectlKustomize.executable != nil else {
            #expect(!SharedData.isCI, "kubectl is required in CI")
            print("skipping: kubectl is not installed")
            return
        }
        let fixtures = KustomizeFeatureTests.fixtures
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures).sorted() {
            let expectedPath = fixtures + "/" + name + "/expected.yaml"
            guard FileManager.default.fileExists(atPath: expectedPath) else { continue }
            let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
            guard let result = try KubectlKustomize.build(fixtures + "/" + name) else { continue }
            #expect(result.succeeded, "kubectl fails on \(name)")
            #expect(YAMLTrees.difference(expected, result.output) == nil, "\(name): expected.yaml is stale; regenerate it with kubectl")
        }
    }
}
