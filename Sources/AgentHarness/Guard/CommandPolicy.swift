import Contract
import Foundation

/// Decides on a shell command line: every simple command must be understood and either be
/// on the read-only allowlist or be a plain file operation (`mkdir`, `touch`, `cp`, `mv`,
/// `rm`, `tee`, `sed -i`, a redirection) whose every target passes the write policy.
struct CommandPolicy: Sendable {
    let writes: WritePolicy
    let secrets: SecretScreen

    /// The decision and the repo-relative paths the command would write.
    func evaluate(_ command: String, cwd: String) -> (decision: GuardDecision, paths: [String]) {
        let commands: [SimpleCommand]
        do {
            commands = try ShellParser.parse(command)
        } catch {
            return (.deny(GuardRule.uninspectableCommand, "the command uses \(error.message), which the guard cannot inspect; run plain commands one at a time"), [])
        }
        guard !commands.isEmpty else { return (.deny(GuardRule.malformedInput, "an empty command"), []) }
        var directory = cwd
        var written: [String] = []
        var previous: SimpleCommand?
        for simple in commands {
            let stdinContent = simple.connector == "|" ? previous.flatMap(Self.producedText) : nil
            switch check(simple, directory: &directory, stdinContent: stdinContent) {
            case .success(let paths): written += paths
            case .failure(let denial): return (denial, written)
            }
            previous = simple
        }
        let summary = written.isEmpty ? "read-only command" : "writes \(written.joined(separator: ", "))"
        return (.allow(summary), written)
    }

    // MARK: - One simple command

    private func check(_ command: SimpleCommand, directory: inout String, stdinContent: String?) -> Result<[String], GuardDecision> {
        if let assignment = command.assignments.first {
            let name = assignment.split(separator: "=").first.map(String.init) ?? assignment
            return .failure(.deny(GuardRule.uninspectableCommand, "setting \(name) for a command can change what it runs; run the command without environment assignments"))
        }
        var written: [String] = []
        // Redirections first: they happen whatever the program is.
        for redirection in command.redirections {
            if redirection.readsFile, let denial = checkRead(redirection.target, directory: directory) { return .failure(denial) }
            guard redirection.writesFile else { continue }
            let content = redirection.hereDocument ?? command.redirections.compactMap(\.hereDocument).first ?? Self.producedText(command)
            switch checkWrite(redirection.target, directory: directory, content: content) {
            case .success(let path): written += path.map { [$0] } ?? []
            case .failure(let denial): return .failure(denial)
            }
        }
        guard let programWord = command.words.first else { return .success(written) }
        guard !programWord.hasExpansion, !programWord.hasGlob else {
            return .failure(.deny(GuardRule.uninspectableCommand, "the program name `\(programWord.text)` is only known at run time"))
        }
        let program = programWord.text
        let arguments = command.arguments
        for argument in arguments where !argument.hasExpansion {
            if let denial = checkRead(argument, directory: directory) { return .failure(denial) }
        }
        if let denial = CommandRules.forbidden(program: program, arguments: arguments.map(\.text)) { return .failure(denial) }
        if let denial = CommandRules.uninspectable(program: program, arguments: arguments.map(\.text)) { return .failure(denial) }
        if program == "cd" {
            return changeDirectory(arguments, directory: &directory).map { written }
        }
        if let targets = CommandRules.writeTargets(program: program, arguments: arguments) {
            switch targets {
            case .failure(let denial): return .failure(denial)
            case .success(let plan):
                for read in plan.reads {
                    if let denial = checkRead(read, directory: directory) { return .failure(denial) }
                }
                let content = plan.content ?? stdinContent
                for target in plan.targets {
                    switch checkWrite(target, directory: directory, content: content) {
                    case .success(let path): written += path.map { [$0] } ?? []
                    case .failure(let denial): return .failure(denial)
                    }
                }
                return .success(written)
            }
        }
        if let denial = CommandRules.readOnly(program: program, arguments: arguments.map(\.text)) { return .failure(denial) }
        return .success(written)
    }

    private func changeDirectory(_ arguments: [ShellWord], directory: inout String) -> Result<Void, GuardDecision> {
        // A bare `cd` goes home, like the shell.
        let target = arguments.first ?? ShellWord(text: "~")
        guard arguments.count <= 1, !target.hasExpansion, !target.hasGlob, target.text != "-" else {
            return .failure(.deny(GuardRule.uninspectableCommand, "`cd` to a place only known at run time"))
        }
        guard let resolved = writes.resolver.resolve(target.text, from: directory) else {
            return .failure(.deny(GuardRule.uninspectableCommand, "`cd \(target.text)` goes through a loop of symbolic links"))
        }
        directory = resolved
        return .success(())
    }

    private func checkWrite(_ target: ShellWord, directory: String, content: String?) -> Result<String?, GuardDecision> {
        guard !target.hasExpansion, !target.hasGlob else {
            return .failure(.deny(GuardRule.uninspectableCommand, "the write target `\(target.text)` is only known at run time (variable or pattern); name the file literally"))
        }
        switch writes.check(write: target.text, from: directory) {
        case .failure(let denial): return .failure(denial)
        case .success(nil): return .success(nil)
        case .success(let relative?):
            if let content, let denial = secrets.check(path: relative, content: content) { return .failure(denial) }
            return .success(relative)
        }
    }

    /// Reading local secret material (age keys, `.talos/`, kubeconfig) is denied: the value
    /// would end up in the model's context.
    private func checkRead(_ word: ShellWord, directory: String) -> GuardDecision? {
        let text = word.text
        guard !text.hasPrefix("-") || text.contains("/") else { return nil }
        let candidate = text.hasPrefix("--") ? String(text.split(separator: "=", maxSplits: 1).last ?? "") : text
        guard candidate.contains("/") || FileManager.default.fileExists(atPath: directory + "/" + candidate) else { return nil }
        guard AgentPolicy.isSecretMaterial(candidate) || (writes.resolver.resolve(candidate, from: directory).map(AgentPolicy.isSecretMaterial) ?? false) else {
            return nil
        }
        return .deny(GuardRule.secretMaterial, "\(text) is local secret material (age identities, .talos/, kubeconfig, talosconfig); agents never read or copy it")
    }

    /// What a command prints when that is known from its words: `echo`/`printf` arguments or
    /// a here-document.
    static func producedText(_ command: SimpleCommand) -> String? {
        if let body = command.redirections.compactMap(\.hereDocument).first { return body }
        guard let program = command.program, program == "echo" || program == "printf" else { return nil }
        return command.arguments.map(\.text).joined(separator: " ") + "\n"
    }
}
