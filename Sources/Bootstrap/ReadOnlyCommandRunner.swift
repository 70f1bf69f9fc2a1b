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
        let name = (program as NSString).lastPathComponent
        guard let policy = ReadCommandPolicy.policies[name] else {
            return "\(name) is not a program the read-only role runs"
        }
        let words = policy.positionals(arguments)
        guard let verb = words.first else { return "\(name) without a subcommand" }
        guard let allowed = policy.verbs[verb] else {
            return "\(name) \(verb) is not a read command (allowed: \(policy.verbs.keys.sorted().joined(separator: ", ")))"
        }
        return allowed(Array(words.dropFirst()), arguments) ? nil : "\(name) \(words.joined(separator: " ")) may change or reveal state"
    }
}

/// Which subcommands of a program only read, and which of its flags take a value (so the
/// value is not mistaken for the subcommand).
struct ReadCommandPolicy {
    /// Subcommand to a check of the remaining positional words and all arguments.
    var verbs: [String: ([String], [String]) -> Bool]
    var flagsWithValues: Set<String>

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

    static let always: ([String], [String]) -> Bool = { _, _ in true }

    static let policies: [String: ReadCommandPolicy] = [
        "talosctl": ReadCommandPolicy(
            verbs: [
                "version": always, "get": always, "health": always, "containers": always, "stats": always,
                "memory": always, "processes": always, "time": always, "disks": always, "logs": always,
                // `service NAME start|stop|restart` changes a node; listing and `status` only read.
                "service": { rest, _ in rest.count < 2 || rest[1] == "status" },
                "etcd": { rest, _ in ["status", "members"].contains(rest.first ?? "") },
            ],
            flagsWithValues: ["--talosconfig", "--nodes", "-n", "--endpoints", "-e", "--context", "--cluster",
                              "--wait-timeout", "--control-plane-nodes", "--worker-nodes", "--init-node", "--output", "-o",
                              "--namespace", "--tail"]),
        "kubectl": ReadCommandPolicy(
            verbs: [
                "version": always,
                // Secrets are refused even for reading: their data would reach the agent.
                "get": { rest, arguments in !(rest + arguments).contains { $0.lowercased().contains("secret") } },
            ],
            flagsWithValues: ["--kubeconfig", "--context", "--namespace", "-n", "--output", "-o", "--selector", "-l",
                              "--field-selector", "--request-timeout", "--cluster", "--user", "--raw"]),
        "git": ReadCommandPolicy(
            verbs: ["rev-parse": always, "ls-remote": always, "log": always, "status": always, "show": always, "cat-file": always],
            flagsWithValues: ["-C", "-c", "--git-dir", "--work-tree"]),
    ]
}
