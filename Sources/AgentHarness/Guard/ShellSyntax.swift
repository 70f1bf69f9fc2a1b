/// One shell word after quote removal, with what the tokenizer noticed about it.
struct ShellWord: Sendable, Equatable {
    var text: String
    /// An unquoted or double-quoted `$NAME` / `${…}`: the value is only known at run time.
    var hasExpansion = false
    /// An unquoted `*`, `?`, `[` or `{`: the word may stand for other paths.
    var hasGlob = false
    /// Some part was quoted (so `A=b` is a word, not an assignment).
    var wasQuoted = false
}

/// A redirection of a simple command, e.g. `> out.yaml` or `<<EOF`.
struct ShellRedirection: Sendable, Equatable {
    /// The operator without its file descriptor: `>`, `>>`, `>|`, `&>`, `&>>`, `<`, `<>`,
    /// `<<`, `<<-`, `<<<`, `>&`, `<&`.
    var op: String
    var target: ShellWord
    /// The body of a here-document.
    var hereDocument: String?

    /// True when the redirection writes to a file (not a file-descriptor copy).
    var writesFile: Bool {
        switch op {
        case ">", ">>", ">|", "&>", "&>>", "<>": return true
        case ">&": return !(target.text.allSatisfy(\.isNumber) || target.text == "-")
        default: return false
        }
    }

    /// True when the redirection reads a file.
    var readsFile: Bool {
        op == "<" || op == "<>" || (op == "<&" && !(target.text.allSatisfy(\.isNumber) || target.text == "-"))
    }
}

/// One simple command: assignments, words and redirections.
struct SimpleCommand: Sendable, Equatable {
    /// How it is joined to the command before it: `;`, `&&`, `||`, `|`, `&` or empty.
    var connector = ""
    var assignments: [String] = []
    var words: [ShellWord] = []
    var redirections: [ShellRedirection] = []

    var program: String? { words.first?.text }
    var arguments: [ShellWord] { Array(words.dropFirst()) }
    var isEmpty: Bool { assignments.isEmpty && words.isEmpty && redirections.isEmpty }
}

/// Why a command line could not be understood completely.
struct ShellSyntaxError: Error, Equatable {
    var message: String
}

/// A small POSIX-shell tokenizer: enough to split lists and pipelines, remove quotes and see
/// redirections and here-documents. Whatever it does not model (substitutions, subshells,
/// functions, `case`) is an error, so the guard denies rather than guesses.
enum ShellParser {
    static func parse(_ source: String) throws(ShellSyntaxError) -> [SimpleCommand] {
        var parser = State(Array(source))
        try parser.run()
        return parser.commands.filter { !$0.isEmpty }
    }

    private struct State {
        let characters: [Character]
        var index = 0
        var commands: [SimpleCommand] = []
        var current = SimpleCommand()
        var word = ShellWord(text: "")
        var inWord = false
        var pendingOperator: String?
        /// Here-documents whose bodies start after the next newline: command index,
        /// redirection index, delimiter, strip leading tabs.
        var pendingHereDocuments: [(command: Int, redirection: Int, delimiter: String, stripTabs: Bool)] = []

        init(_ characters: [Character]) {
            self.characters = characters
        }

        func peek(_ offset: Int = 1) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        mutating func run() throws(ShellSyntaxError) {
            while index < characters.count {
                let character = characters[index]
                switch character {
                case " ", "\t":
                    try finishWord()
                case "\n":
                    try finishWord()
                    try finishCommand(nextConnector: ";")
                    try readHereDocuments()
                case "#" where !inWord:
                    while index < characters.count, characters[index] != "\n" { index += 1 }
                    continue
                case "'":
                    inWord = true
                    word.wasQuoted = true
                    index += 1
                    guard let end = characters[index...].firstIndex(of: "'") else {
                        throw ShellSyntaxError(message: "unterminated single quote")
                    }
                    word.text += String(characters[index..<end])
                    index = end
                case "\"":
                    try readDoubleQuoted()
                case "\\":
                    if let next = peek() {
                        if next != "\n" {
                            inWord = true
                            word.text.append(next)
                        }
                        index += 1
                    }
                case "`":
                    throw ShellSyntaxError(message: "backtick command substitution")
                case "$":
                    try readDollar(quoted: false)
                case "*", "?", "[", "{":
                    inWord = true
                    word.hasGlob = true
                    word.text.append(character)
                case "(", ")":
                    throw ShellSyntaxError(message: "subshells and grouping with parentheses")
                case "|":
                    try finishWord()
                    if peek() == "|" {
                        index += 1
                        try finishCommand(nextConnector: "||")
                    } else {
                        if peek() == "&" { index += 1 }
                        try finishCommand(nextConnector: "|")
                    }
                case "&":
                    try finishWord()
                    if peek() == "&" {
                        index += 1
                        try finishCommand(nextConnector: "&&")
                    } else if peek() == ">" {
                        index += 1
                        if peek() == ">" {
                            index += 1
                            try startRedirection("&>>")
                        } else {
                            try startRedirection("&>")
                        }
                    } else {
                        try finishCommand(nextConnector: "&")
                    }
                case ";":
                    try finishWord()
                    if peek() == ";" { throw ShellSyntaxError(message: "`case` syntax") }
                    try finishCommand(nextConnector: ";")
                case "<", ">":
                    try readRedirectionOperator(character)
                default:
                    inWord = true
                    word.text.append(character)
                }
                index += 1
            }
            try finishWord()
            if pendingOperator != nil { throw ShellSyntaxError(message: "a redirection without a target") }
            if !pendingHereDocuments.isEmpty { throw ShellSyntaxError(message: "a here-document without a body") }
            commands.append(current)
        }

        mutating func readDoubleQuoted() throws(ShellSyntaxError) {
            inWord = true
            word.wasQuoted = true
            index += 1
            while index < characters.count {
                let character = characters[index]
                switch character {
                case "\"":
                    return
                case "\\":
                    if let next = peek(), "$`\"\\\n".contains(next) {
                        if next != "\n" { word.text.append(next) }
                        index += 1
                    } else {
                        word.text.append(character)
                    }
                case "`":
                    throw ShellSyntaxError(message: "backtick command substitution")
                case "$":
                    try readDollar(quoted: true)
                default:
                    word.text.append(character)
                }
                index += 1
            }
            throw ShellSyntaxError(message: "unterminated double quote")
        }

        mutating func readDollar(quoted: Bool) throws(ShellSyntaxError) {
            inWord = true
            guard let next = peek() else {
                word.text.append("$")
                return
            }
            if next == "(" { throw ShellSyntaxError(message: "$(…) command substitution") }
            if next == "'" && !quoted { throw ShellSyntaxError(message: "$'…' quoting") }
            if next == "{" || next == "_" || next.isLetter || next.isNumber || "?@*#$!-".contains(next) {
                word.hasExpansion = true
            }
            word.text.append("$")
        }

        mutating func readRedirectionOperator(_ first: Character) throws(ShellSyntaxError) {
            // Digits right before the operator are its file descriptor, not a word.
            if inWord, !word.wasQuoted, !word.text.isEmpty, word.text.allSatisfy(\.isNumber) {
                word = ShellWord(text: "")
                inWord = false
            } else {
                try finishWord()
            }
            var op = String(first)
            if peek() == "(" { throw ShellSyntaxError(message: "process substitution") }
            if first == ">" {
                if let next = peek(), next == ">" || next == "|" || next == "&" {
                    op.append(next)
                    index += 1
                }
            } else {
                if peek() == "<" {
                    op.append("<")
                    index += 1
                    if let next = peek(), next == "<" || next == "-" {
                        op.append(next)
                        index += 1
                    }
                } else if let next = peek(), next == ">" || next == "&" {
                    op.append(next)
                    index += 1
                }
            }
            try startRedirection(op)
        }

        mutating func startRedirection(_ op: String) throws(ShellSyntaxError) {
            if pendingOperator != nil { throw ShellSyntaxError(message: "two redirection operators in a row") }
            pendingOperator = op
        }

        mutating func finishWord() throws(ShellSyntaxError) {
            guard inWord else { return }
            let finished = word
            word = ShellWord(text: "")
            inWord = false
            if let op = pendingOperator {
                pendingOperator = nil
                current.redirections.append(ShellRedirection(op: op, target: finished))
                if op == "<<" || op == "<<-" {
                    pendingHereDocuments.append((commands.count, current.redirections.count - 1, finished.text, op == "<<-"))
                }
                return
            }
            if current.words.isEmpty, !finished.wasQuoted, Self.isAssignment(finished.text) {
                current.assignments.append(finished.text)
                return
            }
            if current.words.isEmpty, !finished.wasQuoted, ["{", "}", "!", "if", "then", "fi", "for", "while", "until", "do", "done", "case", "function", "select"].contains(finished.text) {
                throw ShellSyntaxError(message: "shell compound command `\(finished.text)`")
            }
            current.words.append(finished)
        }

        mutating func finishCommand(nextConnector: String) throws(ShellSyntaxError) {
            if pendingOperator != nil { throw ShellSyntaxError(message: "a redirection without a target") }
            if current.isEmpty {
                // A blank line or `;;` is nothing; `&& && b` or a leading `|` is an error.
                if nextConnector != ";" { throw ShellSyntaxError(message: "an operator without a command") }
                return
            }
            commands.append(current)
            current = SimpleCommand()
            current.connector = nextConnector
        }

        mutating func readHereDocuments() throws(ShellSyntaxError) {
            guard !pendingHereDocuments.isEmpty else { return }
            var position = index + 1
            for pending in pendingHereDocuments {
                var body = ""
                var found = false
                while position < characters.count {
                    let end = characters[position...].firstIndex(of: "\n") ?? characters.count
                    var line = String(characters[position..<end])
                    position = min(end + 1, characters.count)
                    if pending.stripTabs { line = String(line.drop { $0 == "\t" }) }
                    if line == pending.delimiter {
                        found = true
                        break
                    }
                    body += line + "\n"
                }
                guard found else { throw ShellSyntaxError(message: "a here-document without its closing `\(pending.delimiter)`") }
                if pending.command < commands.count {
                    commands[pending.command].redirections[pending.redirection].hereDocument = body
                } else {
                    current.redirections[pending.redirection].hereDocument = body
                }
            }
            pendingHereDocuments = []
            index = position - 1
        }

        static func isAssignment(_ text: String) -> Bool {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return false }
            let name = text[..<equals]
            guard let first = name.first, first == "_" || first.isLetter else { return false }
            return name.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
        }
    }
}
