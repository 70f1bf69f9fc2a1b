import Foundation
import Testing
import TestSupport

/// Until homeport builds kustomizations in-process, the real kustomize (inside kubectl) proves
/// that every folder of the repository builds.
struct KustomizeBuildTests {
    @Test func theRepositoryHasKustomizeFolders() {
        // Guards the next test against passing vacuously on an empty scan.
        #expect(ReferenceRepo.kustomizeFolders.count >= 18, "\(ReferenceRepo.kustomizeFolders)")
        #expect(ReferenceRepo.kustomizeFolders.contains("cluster/kubernetes/flux"))
    }

    @Test(arguments: ReferenceRepo.kustomizeFolders)
    func kubectlKustomizeBuilds(_ folder: String) throws {
        guard let kubectl = TestProcess.which("kubectl") else {
            #expect(!SharedData.isCI, "kubectl is required in CI")
            print("skipped: kubectl not installed; `kubectl kustomize \(folder)` was not run")
            return
        }
        let result = try TestProcess.run(kubectl, ["kustomize", ReferenceRepo.root + "/" + folder])
        #expect(result.status == 0, "kubectl kustomize \(folder): \(result.standardError)")
        #expect(result.standardOutput.contains("kind:"), "\(folder) builds to nothing")
    }
}
