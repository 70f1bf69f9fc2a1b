import Foundation
import HomeportCore

/// A command runner for the read-only role: it passes on only commands that read (talosctl
/// version/get/health…, kubectl get/version, git rev-parse…) and refuses everything else
/// before a process starts, so no Talos, Kubernetes or Git write is reachable through it.
public struct ReadOnlyCommandRunner: CommandRunner {
    public let base: any CommandRunner

    public init(wrapping base: any CommandRunner) {
        self.base = base
    }

    public var environment: [String: String] { base.environment }

    public func run(_ invocation: ProcessInvocation) async throws -> CommandResult {
        if let reason = Self.refusal(program: invocation.program, arguments: invocation.arguments) {
            throw HomeportError("refused in the read-only role: \(reason); nothing was run")
        }
        return try await base.run(invocation)
    }

    /// Why a command is refused, or nil when it only reads.
    public static func refusal(program: String, arguments: [String]) -> String? {
        let name = program.split(separator: "/").last.map(String.init) ?? program
        guard let policy = ReadCommandPolicy.policies[name] else {
            return "\(name) is not a program the read-only role runs"
        }
        if let flag = arguments.first(where: policy.isForbidden) {
            return "\(name) with \(flag) is not allowed"
        }
        let words = policy.positionals(arguments)
        guard let verb = words.first else { return "\(name) without a subcommand" }
        guard let allowed = policy.verbs[verb] else {
            return "\(name) \(verb) is not a read command (allowed: \(policy.verbs.keys.sorted().joined(separator: ", ")))"
        }
        return allowed(Array(words.dropFirst()), arguments) ? nil : "\(name) \(words.joined(separator: " ")) may change state or reveal secrets"
    }
}

/// Which subcommands of a program only read, which of its flags take a value (so the value
/// is not mistaken for the subcommand) and which flags are never passed on.
struct ReadCommandPolicy: Sendable {
    typealias Check = @Sendable (_ rest: [String], _ arguments: [String]) -> Bool

    /// Subcommand to a check of the remaining positional words and all arguments.
    var verbs: [String: Check]
    var flagsWithValues: Set<String>
    /// Flags (exact, or as `--flag=value`) that could run a program or write a file.
    var forbiddenFlags: Set<String> = []

    func isForbidden(_ argument: String) -> Bool {
        forbiddenFlags.contains(argument) || forbiddenFlags.contains { argument.hasPrefix($0 + "=") }
    }

    /// The words that are not flags or flag values, in order.
    func positionals(_ arguments: [String]) -> [String] {
        var words: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument.hasPrefix("-") {
                if !argument.contains("="), flagsWithValues.contains(argument) { skipNext = true }
                continue
            }
            words.append(argument)
        }
        return words
    }

    static let always: Check = { _, _ in true }

    /// Resource names whose contents are secrets (Secrets, Talos secret resources, machine configs).
    static func namesSecrets(_ words: [String]) -> Bool {
        words.contains { word in
            let lower = word.lowercased()
            let resource = lower.split(separator: "/").first.map(String.init) ?? lower
            return lower.contains("secret") || ["machineconfig", "machineconfigs", "mc", "mcs"].contains(resource)
        }
    }

    static let policies: [String: ReadCommandPolicy] = [
        "talosctl": ReadCommandPolicy(
            verbs: [
                "version": always, "health": always, "containers": always, "stats": always, "memory": always,
                "processes": always, "time": always, "disks": always, "logs": always,
                "get": { rest, _ in !namesSecrets(rest) },
                // `service NAME start|stop|restart` changes a node; listing and `status` only read.
                "service": { rest, _ in rest.count < 2 || rest[1] == "status" },
                "etcd": { rest, _ in ["status", "members"].contains(rest.first ?? "") },
                // The running-config check of `status` compares with `apply-config --dry-run`,
                // which talosctl evaluates on the node without applying anything.
                "apply-config": { _, arguments in arguments.contains("--dry-run") && !arguments.contains { $0.hasPrefix("--dry-run=") } },
            ],
            flagsWithValues: ["--talosconfig", "--nodes", "-n", "--endpoints", "-e", "--context", "--cluster",
                              "--wait-timeout", "--control-plane-nodes", "--worker-nodes", "--init-node", "--output", "-o",
                              "--namespace", "--tail", "--file", "-f", "--mode", "-m"]),
        "kubectl": ReadCommandPolicy(
            verbs: [
                "version": always,
                // Secrets are refused even for reading: their data would reach the agent.
                "get": { rest, arguments in !namesSecrets(rest) && !arguments.contains { $0.contains("/api") && namesSecrets([$0]) } },
            ],
            flagsWithValues: ["--kubeconfig", "--context", "--namespace", "-n", "--output", "-o", "--selector", "-l",
                              "--field-selector", "--request-timeout", "--cluster", "--user", "--raw"],
            forbiddenFlags: ["--token", "--as", "--as-group"]),
        "git": ReadCommandPolicy(
            verbs: ["rev-parse": always, "ls-remote": always, "log": always, "status": always, "show": always, "cat-file": always],
            flagsWithValues: ["-C", "--git-dir", "--work-tree"],
            // Configuration on the command line can name programs to run; --output writes a file.
            forbiddenFlags: ["-c", "--config-env", "--exec-path", "--output", "--upload-pack", "-u", "--ext-diff", "--textconv"]),
    ]
}
