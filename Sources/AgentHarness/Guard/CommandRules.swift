import Contract
import Foundation

/// The command tables of the guard: what is forbidden, what cannot be inspected, which file
/// operations are understood, and the read-only allowlist.
enum CommandRules {
    // MARK: - Forbidden: bypasses of GitOps and secret handling

    static func forbidden(program: String, arguments: [String]) -> GuardDecision? {
        let name = baseName(program)
        let words = Set(arguments.filter { !$0.hasPrefix("-") })
        for entry in AgentPolicy.forbiddenCommands where entry.program == name {
            if let verb = arguments.first(where: { entry.verbs.contains($0) }) {
                return .deny(GuardRule.forbiddenCommand,
                             "`\(name) \(verb)` changes the cluster outside Git; commit the manifest and let Flux reconcile it (contract 1.2)")
            }
        }
        if name == "sops", arguments.contains(where: { $0 == "-d" || $0 == "--decrypt" || $0 == "decrypt" || $0 == "edit" || $0 == "exec-env" || $0 == "exec-file" }) {
            return .deny(GuardRule.forbiddenCommand, "`sops` would decrypt a secret; agents never see or write decrypted secrets (contract 1.4)")
        }
        if isHomeport(program), words.contains("secrets"), words.contains("decrypt") || words.contains("edit") {
            return .deny(GuardRule.forbiddenCommand, "`homeport secrets decrypt|edit` would expose a secret; agents never see or write decrypted secrets (contract 1.4)")
        }
        if name == "git", arguments.contains("push"),
           arguments.contains(where: { $0 == "-f" || $0.hasPrefix("--force") || $0.hasPrefix("+") || $0.hasSuffix(":main") || $0 == "main" }) {
            return .deny(GuardRule.forbiddenCommand, "force pushes and pushes to main bypass review; push a branch and open a pull request")
        }
        return nil
    }

    // MARK: - Uninspectable: commands that run other code the guard cannot see

    static let interpreters: Set<String> = [
        "bash", "sh", "zsh", "dash", "ksh", "fish", "csh", "tcsh", "python", "python3", "python2", "perl", "ruby",
        "node", "deno", "php", "lua", "awk", "gawk", "mawk", "nawk", "osascript", "pwsh",
    ]
    static let wrappers: Set<String> = [
        "eval", "exec", "source", ".", "xargs", "env", "sudo", "su", "doas", "nohup", "timeout", "time", "nice", "ionice",
        "stdbuf", "command", "builtin", "watch", "parallel", "script", "unbuffer", "chroot", "setsid", "flock", "strace",
        "make", "npx", "npm", "yarn", "pip", "pip3", "ssh", "scp", "rsync", "curl", "wget", "dd", "install", "patch",
    ]

    static func uninspectable(program: String, arguments: [String]) -> GuardDecision? {
        let name = baseName(program)
        if program.contains("/"), !isHomeport(program) {
            return .deny(GuardRule.uninspectableCommand, "`\(program)` runs a program by path, which the guard cannot inspect")
        }
        if interpreters.contains(name) {
            let how = arguments.first.map { "`\(name) \($0)`" } ?? "`\(name)`"
            return .deny(GuardRule.uninspectableCommand, "\(how) runs code the guard cannot inspect; edit files with the editing tools instead")
        }
        if wrappers.contains(name) {
            return .deny(GuardRule.uninspectableCommand, "`\(name)` runs or writes something the guard cannot inspect")
        }
        if name == "find", let action = arguments.first(where: { ["-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fprint0", "-fprintf", "-fls"].contains($0) }) {
            return .deny(GuardRule.uninspectableCommand, "`find \(action)` runs commands or writes files the guard cannot inspect")
        }
        if name == "git", let sub = gitSubcommand(arguments), ["apply", "am", "filter-branch", "filter-repo", "submodule", "config", "hook", "difftool", "mergetool"].contains(sub) {
            return .deny(GuardRule.uninspectableCommand, "`git \(sub)` changes files in ways the guard cannot inspect; edit files with the editing tools instead")
        }
        if name == "git", arguments.contains("-c") || arguments.contains(where: { $0.hasPrefix("--exec-path") || $0.hasPrefix("--git-dir") || $0.hasPrefix("--work-tree") }) {
            return .deny(GuardRule.uninspectableCommand, "git configuration on the command line can run other programs")
        }
        if name == "rg", arguments.contains(where: { $0 == "--pre" || $0.hasPrefix("--pre=") }) {
            return .deny(GuardRule.uninspectableCommand, "`rg --pre` runs a program on every file")
        }
        if name == "sed", arguments.contains(where: { !$0.hasPrefix("-") && sedScriptRunsOrWrites($0) }) {
            return .deny(GuardRule.uninspectableCommand, "this `sed` script runs commands or writes files (`e`, `w`)")
        }
        return nil
    }

    /// `e` (execute) and `w`/`W` (write) commands or flags in a sed script.
    static func sedScriptRunsOrWrites(_ script: String) -> Bool {
        let characters = Array(script)
        for (position, character) in characters.enumerated() where "ewW".contains(character) {
            let before = position == 0 ? ";" : characters[position - 1]
            let after = position + 1 < characters.count ? characters[position + 1] : ";"
            if "/;}\n0123456789$ gpI".contains(before) && (after == " " || after == ";" || after == "\n" || after == "}" || position + 1 == characters.count) {
                return true
            }
        }
        return false
    }

    // MARK: - File operations whose targets the write policy checks

    struct WritePlan {
        var targets: [ShellWord]
        var reads: [ShellWord] = []
        var content: String?
    }

    /// The plan of a file-writing command, nil when the program writes no files.
    static func writeTargets(program: String, arguments: [ShellWord]) -> Result<WritePlan, GuardDecision>? {
        let name = baseName(program)
        // After `--` every word is an operand, even one that starts with `-`.
        let separator = arguments.firstIndex { $0.text == "--" }
        let operands = arguments.enumerated().filter { index, word in
            if let separator { return index > separator || (!word.text.hasPrefix("-") && index < separator) }
            return !word.text.hasPrefix("-") || word.text == "-"
        }.map(\.element)
        switch name {
        case "mkdir", "touch", "rm", "rmdir":
            guard !operands.isEmpty else { return .failure(.deny(GuardRule.malformedInput, "`\(name)` without a path")) }
            return .success(WritePlan(targets: operands))
        case "tee":
            return .success(WritePlan(targets: operands))
        case "mv":
            guard operands.count >= 2 else { return .failure(.deny(GuardRule.malformedInput, "`mv` needs a source and a destination")) }
            if arguments.contains(where: { $0.text == "-t" || $0.text.hasPrefix("--target-directory") }) {
                return .failure(.deny(GuardRule.uninspectableCommand, "`mv -t` is not understood; use `mv SOURCE DEST`"))
            }
            return .success(WritePlan(targets: operands))
        case "cp":
            guard operands.count >= 2 else { return .failure(.deny(GuardRule.malformedInput, "`cp` needs a source and a destination")) }
            if arguments.contains(where: { $0.text == "-t" || $0.text.hasPrefix("--target-directory") }) {
                return .failure(.deny(GuardRule.uninspectableCommand, "`cp -t` is not understood; use `cp SOURCE DEST`"))
            }
            return .success(WritePlan(targets: [operands[operands.count - 1]], reads: Array(operands.dropLast())))
        case "sed":
            guard arguments.contains(where: { $0.text == "-i" || $0.text.hasPrefix("-i") || $0.text.hasPrefix("--in-place") || ($0.text.hasPrefix("-") && !$0.text.hasPrefix("--") && $0.text.contains("i")) }) else {
                return nil
            }
            var scripts: [String] = []
            var files: [ShellWord] = []
            var index = 0
            var scriptGiven = false
            while index < arguments.count {
                let word = arguments[index]
                if word.text == "-e" || word.text == "--expression", index + 1 < arguments.count {
                    scripts.append(arguments[index + 1].text)
                    scriptGiven = true
                    index += 2
                    continue
                }
                if word.text == "-f" || word.text.hasPrefix("--file") {
                    return .failure(.deny(GuardRule.uninspectableCommand, "`sed -f` reads its script from a file the guard cannot inspect"))
                }
                if word.text.hasPrefix("-") {
                    index += 1
                    continue
                }
                if !scriptGiven {
                    scripts.append(word.text)
                    scriptGiven = true
                } else {
                    files.append(word)
                }
                index += 1
            }
            guard !files.isEmpty else { return .failure(.deny(GuardRule.malformedInput, "`sed -i` without a file")) }
            return .success(WritePlan(targets: files, content: scripts.joined(separator: "\n")))
        case "yq" where arguments.contains(where: { $0.text == "-i" || $0.text == "--inplace" }):
            return .success(WritePlan(targets: operands.count > 1 ? [operands[operands.count - 1]] : operands, content: operands.first?.text))
        case "ln", "chmod", "chown", "chgrp", "truncate", "shred", "unlink", "mkfifo", "mknod":
            return .failure(.deny(GuardRule.commandNotAllowed, "`\(name)` is not an operation agents perform; the contract is kept with ordinary file edits"))
        default:
            return nil
        }
    }

    // MARK: - The read-only allowlist

    static let plainReaders: Set<String> = [
        "ls", "cat", "head", "tail", "wc", "grep", "egrep", "fgrep", "rg", "pwd", "echo", "printf", "true", "false",
        "which", "file", "stat", "du", "df", "basename", "dirname", "realpath", "readlink", "date", "test", "[",
        "nl", "column", "cut", "tr", "diff", "cmp", "comm", "jq", "kubeconform", "uname", "whoami", "id", "hostname",
        "md5sum", "sha256sum", "sha1sum", "base64", "fold", "rev", "seq", "expand", "paste", "join", "tac", "od", "hexdump",
        "find", "sed", "yq", "sort", "uniq", "tree",
    ]

    static let gitReadOnly: Set<String> = [
        "status", "diff", "log", "show", "rev-parse", "ls-files", "ls-tree", "blame", "grep", "describe", "shortlog",
        "cat-file", "merge-base", "rev-list", "show-ref", "branch", "remote", "tag", "name-rev", "whatchanged", "version",
    ]

    /// Sub-commands of cluster tools that only read, by program.
    static let readOnlySubcommands: [String: Set<String>] = [
        "kubectl": ["get", "describe", "logs", "explain", "version", "api-resources", "api-versions", "top", "kustomize", "diff", "events", "cluster-info"],
        "flux": ["get", "tree", "build", "diff", "version", "check", "logs", "stats", "trace", "events"],
        "helm": ["template", "lint", "show", "list", "ls", "version", "search"],
        "kustomize": ["build", "version", "cfg"],
        "talosctl": ["validate", "version", "gen"],
    ]

    static let homeportReadOnly: Set<String> = ["check", "rules", "doctor", "status", "cluster", "flux", "kustomize", "docs"]

    /// Nil when the command only reads; otherwise why it is denied.
    static func readOnly(program: String, arguments: [String]) -> GuardDecision? {
        let name = baseName(program)
        if isHomeport(program) { return homeportReadOnlyCheck(arguments) }
        if name == "swift" {
            guard let runIndex = arguments.firstIndex(of: "run") else { return notAllowed("swift \(arguments.first ?? "")") }
            var rest = Array(arguments[(runIndex + 1)...])
            while let first = rest.first, first.hasPrefix("-") {
                rest.removeFirst()
                if ["-c", "--configuration", "--package-path", "--scratch-path"].contains(first), !rest.isEmpty { rest.removeFirst() }
            }
            guard rest.first == "homeport" else { return notAllowed("swift run \(rest.first ?? "")") }
            return homeportReadOnlyCheck(Array(rest.dropFirst()))
        }
        if name == "git" {
            guard let sub = gitSubcommand(arguments), gitReadOnly.contains(sub) else { return notAllowed("git \(gitSubcommand(arguments) ?? "")") }
            if arguments.contains(where: { $0.hasPrefix("--output") || $0 == "-O" || $0.hasPrefix("--open-files-in-pager") || $0.hasPrefix("--ext-diff") }) {
                return .deny(GuardRule.commandNotAllowed, "`git \(sub)` with an output file or pager program writes or runs something")
            }
            let operands = arguments.drop { $0 != sub }.dropFirst().filter { !$0.hasPrefix("-") }
            if ["branch", "tag", "remote"].contains(sub), !operands.isEmpty || arguments.contains(where: { ["-d", "-D", "-m", "-M", "-c", "-C", "--delete", "-f"].contains($0) }) {
                return .deny(GuardRule.commandNotAllowed, "`git \(sub)` with arguments changes the repository; only listing is read-only")
            }
            return nil
        }
        if let subcommands = readOnlySubcommands[name] {
            let sub = arguments.first { !$0.hasPrefix("-") }
            guard let sub, subcommands.contains(sub) else { return notAllowed("\(name) \(sub ?? "")") }
            if name == "kubectl" || name == "helm", arguments.contains(where: { $0.lowercased().contains("secret") }) {
                return .deny(GuardRule.secretMaterial, "`\(name)` reading Secrets would put secret values into the conversation")
            }
            if name == "talosctl", sub == "gen" { return notAllowed("talosctl gen") }
            return nil
        }
        guard plainReaders.contains(name) else { return notAllowed(name) }
        switch name {
        case "sort" where arguments.contains(where: { $0 == "-o" || $0.hasPrefix("--output") || ($0.hasPrefix("-o") && !$0.hasPrefix("--")) }):
            return .deny(GuardRule.commandNotAllowed, "`sort -o` writes a file; redirect the output instead")
        case "uniq" where arguments.filter({ !$0.hasPrefix("-") }).count > 1:
            return .deny(GuardRule.commandNotAllowed, "`uniq IN OUT` writes a file; redirect the output instead")
        case "tree" where arguments.contains("-o"):
            return .deny(GuardRule.commandNotAllowed, "`tree -o` writes a file; redirect the output instead")
        default:
            return nil
        }
    }

    static func homeportReadOnlyCheck(_ arguments: [String]) -> GuardDecision? {
        let words = arguments.filter { !$0.hasPrefix("-") }
        guard let sub = words.first, homeportReadOnly.contains(sub) else {
            return notAllowed("homeport \(words.first ?? "")")
        }
        if sub == "docs", !arguments.contains("--check") { return notAllowed("homeport docs (without --check)") }
        if sub == "cluster", arguments.contains("--write") { return notAllowed("homeport cluster … --write") }
        return nil
    }

    static func notAllowed(_ what: String) -> GuardDecision {
        .deny(GuardRule.commandNotAllowed,
              "`\(what.trimmingCharacters(in: .whitespaces))` is not on the read-only allowlist; agents may run read-only commands (git status|diff|log|show, ls, cat, rg, homeport check, …) and change files only with the editing tools")
    }

    // MARK: - Helpers

    static func baseName(_ program: String) -> String {
        program.split(separator: "/").last.map(String.init) ?? program
    }

    static func isHomeport(_ program: String) -> Bool {
        let name = baseName(program)
        guard name == "homeport" || name == "ai_harness.sh" else { return false }
        if !program.contains("/") { return true }
        // Only the package's own build products and wrapper, not any file named homeport.
        return [".build/debug/homeport", ".build/release/homeport", "scripts/ai_harness.sh"].contains { program.hasSuffix($0) }
            && !program.contains("..")
    }

    /// The git sub-command after global options (`-C DIR`, `--no-pager`, …).
    static func gitSubcommand(_ arguments: [String]) -> String? {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "-C" || word == "-c" || word == "--namespace" {
                index += 2
                continue
            }
            if word.hasPrefix("-") {
                index += 1
                continue
            }
            return word
        }
        return nil
    }
}

