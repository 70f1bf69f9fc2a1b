import Contract
import Foundation
import Manifests

/// Decides whether a path may be written by an agent: inside the repository, inside an
/// agent-writable layer (``AgentPolicy``), never `docs/`, never a new top-level directory.
struct WritePolicy: Sendable {
    let resolver: PathResolver
    /// Top-level directories the contract document allows.
    let allowedTopLevel: Set<String>

    init(root: String) {
        resolver = PathResolver(root: root)
        let contractPath = resolver.root + "/" + ContractDocument.path
        let text = (try? String(contentsOfFile: contractPath, encoding: .utf8))
        let snapshot = RepoScanner.snapshot(root: resolver.root, files: text.map { [ContractDocument.path: $0] } ?? [:])
        allowedTopLevel = ContractDocument(file: snapshot.file(ContractDocument.path)).allowedDirectories
    }

    /// Sinks that are not files.
    static let deviceSinks: Set<String> = ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2", "/dev/tty"]

    /// The repo-relative path a write would land on, or the deny.
    func check(write path: String, from directory: String) -> Result<String?, GuardDecision> {
        guard !path.isEmpty else { return .failure(.deny(GuardRule.malformedInput, "an empty path")) }
        guard let absolute = resolver.resolve(path, from: directory) else {
            return .failure(.deny(GuardRule.writableLayers, "\(path) goes through a loop of symbolic links"))
        }
        if Self.deviceSinks.contains(absolute) { return .success(nil) }
        guard let relative = resolver.relative(absolute) else {
            return .failure(.deny(GuardRule.outsideRepository,
                                  "\(path) resolves to \(absolute), outside the repository; agents write only inside \(layerList)"))
        }
        if let denial = checkRelative(relative, named: path) { return .failure(denial) }
        return .success(relative)
    }

    /// The contract's decision for a repo-relative path.
    func checkRelative(_ relative: String, named original: String) -> GuardDecision? {
        let shown = original == relative ? relative : "\(original) (= \(relative.isEmpty ? "the repository root" : relative))"
        guard let first = relative.split(separator: "/").first.map(String.init) else {
            return .deny(GuardRule.writableLayers, "\(shown) is the repository root; agents write only inside \(layerList)")
        }
        let isNested = relative.contains("/")
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: resolver.root + "/" + first, isDirectory: &isDirectory)
        if isNested, !exists, !allowedTopLevel.contains(first) {
            return .deny(GuardRule.topLevel,
                         "\(shown) would create the top-level directory \(first)/, which the contract does not list; only a human amendment of docs/repo-contract.md adds one")
        }
        if first == "docs" {
            return .deny(GuardRule.docsReadOnly,
                         "\(shown) is in docs/, which only humans change (that is how the contract stays law); describe the change in your pull request instead")
        }
        if first == ".git" || relative.contains("/.git/") {
            return .deny(GuardRule.writableLayers, "\(shown) is inside git's own data")
        }
        if AgentPolicy.isSecretMaterial(relative) {
            return .deny(GuardRule.secretMaterial, "\(shown) is local secret material, which never goes into the repository")
        }
        guard AgentPolicy.isWritable(relative) else {
            return .deny(GuardRule.writableLayers, "\(shown) is outside the agent-writable layers; agents write only inside \(layerList) (contract section 7)")
        }
        return nil
    }

    var layerList: String {
        AgentPolicy.writableLayers.map { $0 + "/" }.joined(separator: ", ")
    }
}
