import Manifests

/// A shell script read just far enough for the script rules: simple commands with their words
/// and lines, redirections, and here-documents. Comments are dropped; pipelines, `&&`, `||`,
/// `;`, `&`, subshells and command substitutions all separate commands, so a command is found
/// wherever it sits on a line. It never fails: odd syntax only yields odd words.
struct ShellScript {
    /// One word of a command, with quotes removed, and the line it starts on.
    struct Word: Equatable {
        var text: String
        var line: Int
    }

    /// `> file`, `>> file`, `<< EOF` and their kin.
    struct Redirection {
        var operatorText: String
        var target: Word
    }

    /// The body of a here-document, line by line.
    struct HereDocument {
        var line: Int
        var bodyLines: [(line: Int, text: String)]
    }

    struct Command {
        var words: [Word] = []
        var redirections: [Redirection] = []
        var hereDocuments: [HereDocument] = []

        /// The line the command starts on.
        var line: Int { words.first?.line ?? redirections.first?.target.line ?? hereDocuments.first?.line ?? 0 }
    }

    let commands: [Command]

    init(_ text: String, firstLine: Int = 1) {
        var lexer = ShellLexer(text, firstLine: firstLine)
        var commands = lexer.run()
        // Substitutions inside double quotes (`out="$(kubectl apply …)"`) stay part of a word
        // while lexing; read them as commands of their own.
        for command in commands {
            for word in command.words + command.redirections.map(\.target) where word.text.contains("$(") || word.text.contains("`") {
                for (inner, lineOffset) in Self.substitutions(in: word.text) {
                    commands += ShellScript(inner, firstLine: word.line + lineOffset).commands
                }
            }
        }
        self.commands = commands
    }

    /// The text of each `$(…)` and `` `…` `` in a word, with the number of lines before it.
    static func substitutions(in text: String) -> [(text: String, lineOffset: Int)] {
        let characters = Array(text)
        var results: [(String, Int)] = []
        var index = 0
        var newlines = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\n" { newlines += 1 }
            if character == "$", index + 1 < characters.count, characters[index + 1] == "(" {
                var depth = 1
                var end = index + 2
                while end < characters.count, depth > 0 {
                    if characters[end] == "(" { depth += 1 }
                    if characters[end] == ")" { depth -= 1 }
                    end += 1
                }
                let close = depth == 0 ? end - 1 : end
                results.append((String(characters[(index + 2)..<close]), newlines))
                newlines += characters[index..<close].filter { $0 == "\n" }.count
                index = end
                continue
            }
            if character == "`" {
                var end = index + 1
                while end < characters.count, characters[end] != "`" { end += 1 }
                results.append((String(characters[(index + 1)..<end]), newlines))
                newlines += characters[index..<end].filter { $0 == "\n" }.count
                index = end + 1
                continue
            }
            index += 1
        }
        return results
    }

    /// The interpreters the script rules understand as shell.
    static let shellNames: Set<String> = ["sh", "bash", "zsh", "ksh", "dash", "ash"]
    static let shellExtensions: Set<String> = ["sh", "bash", "zsh", "ksh"]

    /// True when the file is a shell script: by extension, by a shell shebang, or an
    /// executable file without an extension or shebang (which the shell runs itself).
    static func isShellScript(path: String, fileExtension: String, isExecutable: Bool, firstLine: Substring?) -> Bool {
        if shellExtensions.contains(fileExtension) { return true }
        if let firstLine, firstLine.hasPrefix("#!") {
            return interpreter(ofShebang: firstLine).map(shellNames.contains) ?? false
        }
        return isExecutable && fileExtension.isEmpty
    }

    /// `bash` for `#!/bin/bash` and `#!/usr/bin/env -S bash -e`.
    static func interpreter(ofShebang line: Substring) -> String? {
        let parts = line.dropFirst(2).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let program = parts.first else { return nil }
        let name = program.split(separator: "/").last.map(String.init) ?? program
        if name == "env" {
            return parts.dropFirst().first { !$0.hasPrefix("-") && !$0.contains("=") }
        }
        return name
    }
}

extension ShellScript.Command {
    /// Words that only introduce or group commands.
    private static let keywords: Set<String> = [
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "in", "case", "esac",
        "!", "{", "}", "[[", "]]", "function",
    ]
    /// Programs that run the rest of their arguments as a command.
    private static let wrappers: Set<String> = ["sudo", "env", "exec", "command", "nohup", "time", "nice", "xargs", "timeout", "builtin"]

    /// The words from the program name on: keywords, variable assignments and wrappers such as
    /// `sudo` or `env` are skipped, and the program is reduced to its base name.
    var invocation: [ShellScript.Word] {
        var index = 0
        var afterWrapper: String?
        while index < words.count {
            let text = words[index].text
            if Self.keywords.contains(text) || ShellScript.isAssignment(text) {
                index += 1
                continue
            }
            if let wrapper = afterWrapper {
                if text.hasPrefix("-") {
                    // `sudo -u user`, `timeout -s KILL`: options that take a value.
                    if ["-u", "-g", "-s", "-k", "-n", "-I", "-L", "-P"].contains(text) { index += 1 }
                    index += 1
                    continue
                }
                if wrapper == "timeout", text.first?.isNumber == true {
                    afterWrapper = nil
                    index += 1
                    continue
                }
            }
            let name = String(text.split(separator: "/").last ?? Substring(text))
            if Self.wrappers.contains(name) {
                afterWrapper = name
                index += 1
                continue
            }
            var result = Array(words[index...])
            result[0].text = name
            return result
        }
        return []
    }

    /// The program name, or nil for a command of assignments only.
    var program: String? { invocation.first?.text }
}

extension ShellScript {
    /// `NAME=value`.
    static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        let name = word[..<equals]
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}

/// The character-level reader behind ``ShellScript``.
private struct ShellLexer {
    private let characters: [Character]
    private var position = 0
    private var line = 1
    private var commands: [ShellScript.Command] = []
    private var current = ShellScript.Command()
    private var word = ""
    private var wordLine = 1
    private var hasWord = false
    /// A redirection waiting for its target word.
    private var pendingOperator: String?
    /// Here-documents whose bodies start after the current line: delimiter, strip tabs, line.
    private var pendingHereDocuments: [(delimiter: String, stripTabs: Bool, line: Int, commandIndex: Int?)] = []

    init(_ text: String, firstLine: Int) {
        characters = Array(text)
        line = firstLine
        wordLine = firstLine
    }

    mutating func run() -> [ShellScript.Command] {
        while position < characters.count {
            let character = characters[position]
            switch character {
            case "\\":
                if position + 1 < characters.count {
                    let next = characters[position + 1]
                    if next == "\n" {
                        line += 1
                    } else {
                        append(next)
                    }
                    position += 2
                } else {
                    position += 1
                }
            case "'":
                startWordIfNeeded()
                hasWord = true
                position += 1
                while position < characters.count, characters[position] != "'" {
                    append(characters[position])
                    position += 1
                }
                position += 1
            case "\"":
                readDoubleQuoted()
            case "#" where !hasWord:
                while position < characters.count, characters[position] != "\n" { position += 1 }
            case "\n":
                endCommand()
                position += 1
                line += 1
                readHereDocumentBodies()
            case " ", "\t", "\r":
                endWord()
                position += 1
            case ";", "&", "|", "(", ")", "`":
                if character == "&", peek(1) == ">" {
                    // `&>` and `&>>` redirect both streams.
                    endWord()
                    position += 1
                    readRedirection(prefix: "&")
                    continue
                }
                endCommand()
                position += 1
            case "$":
                if peek(1) == "(" {
                    endCommand()
                    position += 2
                } else if peek(1) == "{" {
                    readBraced()
                } else {
                    append(character)
                    position += 1
                }
            case ">", "<":
                if hasWord, word.allSatisfy(\.isNumber), !word.isEmpty {
                    // `2>file`: the digits name a file descriptor, not a word.
                    word = ""
                    hasWord = false
                } else {
                    endWord()
                }
                readRedirection(prefix: "")
            default:
                append(character)
                position += 1
            }
        }
        endCommand()
        return commands
    }

    private func peek(_ offset: Int) -> Character? {
        position + offset < characters.count ? characters[position + offset] : nil
    }

    private mutating func startWordIfNeeded() {
        if !hasWord { wordLine = line }
    }

    private mutating func append(_ character: Character) {
        startWordIfNeeded()
        hasWord = true
        word.append(character)
        if character == "\n" { line += 1 }
    }

    private mutating func readDoubleQuoted() {
        startWordIfNeeded()
        hasWord = true
        position += 1
        while position < characters.count, characters[position] != "\"" {
            if characters[position] == "\\", let next = peek(1), "\"\\$`".contains(next) {
                append(next)
                position += 2
                continue
            }
            append(characters[position])
            position += 1
        }
        position += 1
    }

    /// `${...}` stays part of the word, braces included, so `${ROOT}/cluster` is one word.
    private mutating func readBraced() {
        var depth = 0
        while position < characters.count {
            let character = characters[position]
            append(character)
            position += 1
            if character == "{" { depth += 1 }
            if character == "}" {
                depth -= 1
                if depth == 0 { return }
            }
        }
    }

    private mutating func readRedirection(prefix: String) {
        var text = prefix
        while position < characters.count, characters[position] == ">" || characters[position] == "<" || characters[position] == "|" || characters[position] == "&" || characters[position] == "-" {
            let character = characters[position]
            // `>|` and `>&` belong to the operator, `-` only to `<<-`, `|` only right after `>`.
            if character == "|", text != ">" { break }
            if character == "-", text != "<<" { break }
            if character == "&", text.isEmpty { break }
            text.append(character)
            position += 1
        }
        pendingOperator = text
    }

    private mutating func endWord() {
        guard hasWord else { return }
        let finished = ShellScript.Word(text: word, line: wordLine)
        word = ""
        hasWord = false
        if let operatorText = pendingOperator {
            pendingOperator = nil
            if operatorText.hasPrefix("<<"), operatorText != "<<<" {
                pendingHereDocuments.append((finished.text, operatorText == "<<-", finished.line, nil))
            }
            current.redirections.append(ShellScript.Redirection(operatorText: operatorText, target: finished))
        } else {
            current.words.append(finished)
        }
    }

    private mutating func endCommand() {
        endWord()
        pendingOperator = nil
        guard !current.words.isEmpty || !current.redirections.isEmpty else { return }
        // Here-documents read after this line belong to the command that opened them.
        for index in pendingHereDocuments.indices where pendingHereDocuments[index].commandIndex == nil {
            pendingHereDocuments[index].commandIndex = commands.count
        }
        commands.append(current)
        current = ShellScript.Command()
    }

    /// After a newline: the bodies of here-documents opened on the line just finished.
    private mutating func readHereDocumentBodies() {
        let pending = pendingHereDocuments
        pendingHereDocuments = []
        for document in pending {
            var body: [(line: Int, text: String)] = []
            while position < characters.count {
                var end = position
                while end < characters.count, characters[end] != "\n" { end += 1 }
                var text = String(characters[position..<end])
                if text.hasSuffix("\r") { text.removeLast() }
                let lineNumber = line
                position = min(end + 1, characters.count)
                line += 1
                let compared = document.stripTabs ? String(text.drop { $0 == "\t" }) : text
                if compared == document.delimiter { break }
                body.append((lineNumber, text))
            }
            if let index = document.commandIndex, index < commands.count {
                commands[index].hereDocuments.append(ShellScript.HereDocument(line: document.line, bodyLines: body))
            }
        }
    }
}

extension ShellScript {
    /// The shell scripts under a folder, parsed.
    static func scripts(under folder: String, in snapshot: RepoSnapshot) -> [(file: RepoFile, script: ShellScript)] {
        snapshot.files(under: folder).compactMap { file in
            guard let text = file.text,
                  isShellScript(path: file.path, fileExtension: file.fileExtension, isExecutable: file.isExecutable, firstLine: file.firstLine)
            else { return nil }
            return (file, ShellScript(text))
        }
    }

    /// The sub-command of a CLI such as kubectl or helm: the first argument that is not an
    /// option, skipping the values of global options written as two words (`-n flux-system`).
    static func subcommand(of arguments: ArraySlice<Word>, optionsWithValues: Set<String>) -> Word? {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let text = arguments[index].text
            if text.hasPrefix("-") {
                index += optionsWithValues.contains(text) ? 2 : 1
                continue
            }
            return arguments[index]
        }
        return nil
    }
}
