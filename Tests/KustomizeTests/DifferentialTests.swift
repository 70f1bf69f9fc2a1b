import Foundation
import Kustomize
import Manifests
import Testing
import TestSupport

/// Every directory with a kustomization file in the corpus repository and in this repository:
/// homeport's build equals `kubectl kustomize --load-restrictor LoadRestrictionsNone DIR` as a
/// sequence of YAML trees, and where kubectl fails homeport fails too.
@Suite struct DifferentialTests {
    static func kustomizationDirectories(under root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var directories: Set<String> = []
        while let relative = walker.nextObject() as? String {
            if relative.hasPrefix(".git") || relative.contains("/.git/") { continue }
            if Kustomizer.fileNames.contains((relative as NSString).lastPathComponent) {
                directories.insert(root + "/" + (relative as NSString).deletingLastPathComponent)
            }
        }
        return directories.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.sorted()
    }

    struct Mismatch: CustomStringConvertible {
        var directory: String
        var detail: String
        var description: String { "\(directory): \(detail)" }
    }

    static func compare(_ directories: [String]) throws -> (checked: Int, mismatches: [Mismatch], byteDifferences: [String]) {
        let slots = Slots(count: directories.count)
        DispatchQueue.concurrentPerform(iterations: directories.count) { index in
            let directory = directories[index]
            let kubectl = try? KubectlKustomize.build(directory)
            slots.set(index, kubectl)
        }
        var mismatches: [Mismatch] = []
        var byteDifferences: [String] = []
        let kustomizer = Kustomizer(files: DiskFileSource())
        for (index, directory) in directories.enumerated() {
            guard let kubectl = slots.values[index] else {
                mismatches.append(Mismatch(directory: directory, detail: "kubectl did not run"))
                continue
            }
            let ours: Result<String, Error> = Result { Kustomizer.render(try kustomizer.build(directory: directory)) }
            switch (kubectl.succeeded, ours) {
            case (true, .success(let text)):
                if let difference = YAMLTrees.difference(kubectl.output, text) {
                    mismatches.append(Mismatch(directory: directory, detail: difference))
                } else if text != kubectl.output {
                    byteDifferences.append(directory)
                }
            case (false, .failure):
                break
            case (true, .failure(let error)):
                mismatches.append(Mismatch(directory: directory, detail: "kubectl builds it, homeport fails: \(error)"))
            case (false, .success):
                mismatches.append(Mismatch(directory: directory, detail: "kubectl fails, homeport builds it"))
            }
        }
        return (directories.count, mismatches, byteDifferences)
    }

    final class Slots: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [KubectlKustomize.Result?]
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: KubectlKustomize.Result?) { lock.lock(); storage[index] = value; lock.unlock() }
        var values: [KubectlKustomize.Result?] { lock.lock(); defer { lock.unlock() }; return storage }
    }

    static func requireKubectl() -> Bool {
        if KubectlKustomize.executable != nil { return true }
        #expect(!SharedData.isCI, "kubectl is required in CI")
        print("skipping: kubectl is not installed")
        return false
    }

    @Test func corpusRepositoryMatchesKubectl() throws {
        guard Self.requireKubectl() else { return }
        guard let corpus = SharedData.path("corpus/bjw-s-labs-home-ops") else {
            #expect(!SharedData.isCI, "the corpus is required in CI")
            print("skipping: shared corpus not found")
            return
        }
        let directories = Self.kustomizationDirectories(under: corpus)
        #expect(directories.count == 124)
        let (checked, mismatches, byteDifferences) = try Self.compare(directories)
        #expect(checked == directories.count)
        #expect(mismatches.isEmpty, "\(mismatches.map(\.description).joined(separator: "\n"))")
        // Beyond equal trees, the text itself is what kubectl prints.
        #expect(byteDifferences.isEmpty, "same trees, different text: \(byteDifferences.joined(separator: ", "))")
    }

    @Test func thisRepositoryMatchesKubectl() throws {
        guard Self.requireKubectl() else { return }
        let directories = Self.kustomizationDirectories(under: SharedData.packageRoot + "/cluster")
        #expect(!directories.isEmpty)
        let (_, mismatches, _) = try Self.compare(directories)
        #expect(mismatches.isEmpty, "\(mismatches.map(\.description).joined(separator: "\n"))")
    }
}
