import Foundation
import Contract
import Manifests

/// What the guard answers a client: exit status and the two output streams.
public struct HookOutcome: Sendable, Equatable {
    public var exitCode: Int32
    public var standardOutput: String
    public var standardError: String
    public var decision: GuardDecision
}

/// `homeport ai guard`: reads one pre-tool-use hook call, decides from the contract, answers
/// in the client's form and logs the decision. Everything that goes wrong denies.
public struct HookGuard: Sendable {
    public var client: HookClient
    /// The repository; nil means the git work tree around the payload's working directory.
    public var repoRoot: String?
    /// A user-level hook serves every repository: outside a homeport repository it lets the
    /// call through (and logs nothing there); inside one it decides as the project hook does.
    public var userLevel: Bool

    public init(client: HookClient, repoRoot: String? = nil, userLevel: Bool = false) {
        self.client = client
        self.repoRoot = repoRoot
        self.userLevel = userLevel
    }

    /// True when the directory is a repository homeport governs (it has the contract or a
    /// homeport.yaml).
    public static func isHomeportRepository(_ root: String) -> Bool {
        [ContractDocument.path, "homeport.yaml"].contains { FileManager.default.fileExists(atPath: root + "/" + $0) }
    }

    /// Decides on one hook call and renders the client's answer.
    public func run(input: Data) -> HookOutcome {
        var request: HookRequest?
        var root = repoRoot.map { PathResolver.normalize(absolute($0)) }
        var decision: GuardDecision
        var paths: [String] = []
        do throws(HookInputError) {
            let parsed = try HookPayload.parse(input, client: client)
            request = parsed
            if root == nil { root = RepoLocator.enclosingRoot(of: parsed.cwd) }
            if userLevel, let found = root, !Self.isHomeportRepository(found) {
                return render(.allow("\(found) is not a homeport repository; the user-level hook leaves it alone"))
            }
            (decision, paths) = evaluate(parsed, root: root ?? FileManager.default.currentDirectoryPath)
        } catch {
            switch error.kind {
            case .unsupportedTool:
                decision = .deny(GuardRule.unsupportedTool, "the guard does not know the tool \(error.message), so it cannot tell whether it writes; only homeport's MCP tools and the standard editing, shell and reading tools are allowed")
            case .unsupportedClient:
                decision = .deny(GuardRule.unsupportedClient, error.message)
            case .malformed:
                decision = .deny(GuardRule.malformedInput, "\(error.message); the guard denies what it cannot read")
            }
        }
        let logRoot = root ?? RepoLocator.enclosingRoot(of: nil)
        let entry = DecisionLog.Entry(
            ts: ISO8601DateFormatter().string(from: Date()), client: client.rawValue, event: request?.event ?? "?",
            tool: request?.tool ?? "?", decision: decision.verdict.rawValue, rule: decision.ruleID, reason: decision.reason,
            paths: paths, command: request.flatMap { if case .command(let text) = $0.action { DecisionLog.redactCommand(text) } else { nil } })
        do {
            try DecisionLog.append(entry, root: logRoot)
        } catch {
            decision = .deny(GuardRule.auditLog, "cannot record the decision in \(logRoot)/logs/ai/hooks.jsonl (\(error)); nothing runs unaudited")
        }
        return render(decision)
    }

    /// The decision for a parsed request.
    func evaluate(_ request: HookRequest, root: String) -> (GuardDecision, [String]) {
        let writes = WritePolicy(root: root)
        let secrets = SecretScreen(root: writes.resolver.root)
        let cwd = request.cwd.map(absolute) ?? writes.resolver.root
        switch request.action {
        case .harmless(let tool):
            return (.allow("\(tool) does not write to the repository"), [])
        case .read(let path):
            let resolved = writes.resolver.resolve(path, from: cwd) ?? path
            if AgentPolicy.isSecretMaterial(path) || AgentPolicy.isSecretMaterial(resolved) {
                return (.deny(GuardRule.secretMaterial, "\(path) is local secret material (age identities, .talos/, kubeconfig, talosconfig); agents never read it"), [])
            }
            return (.allow("reading"), [])
        case .command(let command):
            let result = CommandPolicy(writes: writes, secrets: secrets).evaluate(command, cwd: cwd)
            return (result.decision, result.paths)
        case .write(let path, let content):
            switch writes.check(write: path, from: cwd) {
            case .failure(let denial): return (denial, [])
            case .success(nil): return (.allow("writes to a device"), [])
            case .success(let relative?):
                if let denial = secrets.check(path: relative, content: content) { return (denial, [relative]) }
                return (.allow("writes \(relative)"), [relative])
            }
        case .patch(let operations):
            return evaluate(operations, writes: writes, secrets: secrets, cwd: cwd)
        case .edit(let path, let edits):
            switch writes.check(write: path, from: cwd) {
            case .failure(let denial): return (denial, [])
            case .success(nil): return (.allow("writes to a device"), [])
            case .success(let relative?):
                let content = Self.applying(edits, to: try? String(contentsOfFile: writes.resolver.root + "/" + relative, encoding: .utf8))
                if let denial = secrets.check(path: relative, content: content) { return (denial, [relative]) }
                return (.allow("edits \(relative)"), [relative])
            }
        }
    }

    /// A patch is allowed only when every file it touches is; the first deny decides.
    func evaluate(_ operations: [ApplyPatch.Operation], writes: WritePolicy, secrets: SecretScreen, cwd: String) -> (GuardDecision, [String]) {
        var touched: [String] = []
        for operation in operations {
            var targets: [(path: String, content: String?)] = []
            switch operation {
            case .add(let path, let content):
                targets = [(path, content)]
            case .delete(let path):
                targets = [(path, nil)]
            case .update(let path, let hunks, let moveTo):
                let original = writes.resolver.resolve(path, from: cwd).flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
                let content = Self.applying(hunks.map { ($0.old, $0.new, false) }, to: original)
                targets = moveTo.map { [(path, nil), ($0, content)] } ?? [(path, content)]
            }
            for target in targets {
                switch writes.check(write: target.path, from: cwd) {
                case .failure(let denial): return (denial, touched)
                case .success(nil): continue
                case .success(let relative?):
                    touched.append(relative)
                    if let content = target.content, let denial = secrets.check(path: relative, content: content) { return (denial, touched) }
                }
            }
        }
        return (.allow("patches \(touched.joined(separator: ", "))"), touched)
    }

    /// The file after the edits; when an edit does not apply, its new text is appended so the
    /// secret check still sees it.
    static func applying(_ edits: [(old: String, new: String, all: Bool)], to original: String?) -> String {
        var text = original ?? ""
        for edit in edits {
            if !edit.old.isEmpty, let range = text.range(of: edit.old) {
                text = edit.all ? text.replacingOccurrences(of: edit.old, with: edit.new) : text.replacingCharacters(in: range, with: edit.new)
            } else {
                text += "\n" + edit.new
            }
        }
        return text
    }

    /// The client's form of a decision.
    func render(_ decision: GuardDecision) -> HookOutcome {
        switch client {
        case .claude, .codex:
            // Claude Code reads exit 2 as "block" and shows stderr to the model; stdout is ignored.
            if decision.isAllowed { return HookOutcome(exitCode: 0, standardOutput: "", standardError: "", decision: decision) }
            return HookOutcome(exitCode: 2, standardOutput: "", standardError: "homeport guard denied: \(decision.message)\n", decision: decision)
        case .cursor:
            var answer: [String: String] = ["permission": decision.isAllowed ? "allow" : "deny"]
            if !decision.isAllowed {
                answer["user_message"] = "homeport guard denied: \(decision.message)"
                answer["agent_message"] = "homeport guard denied: \(decision.message)"
            }
            let data = (try? JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data(#"{"permission":"deny"}"#.utf8)
            let text = String(decoding: data, as: UTF8.self) + "\n"
            return HookOutcome(exitCode: decision.isAllowed ? 0 : 2, standardOutput: text,
                               standardError: decision.isAllowed ? "" : "homeport guard denied: \(decision.message)\n", decision: decision)
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
