import ArgumentParser
import Contract
import Foundation
import HomeportCore
import Manifests
import SOPSCrypto
import SOPSFormat

extension SOPSStoreKind: ExpressibleByArgument {}

/// `homeport secrets …`: SOPS + age, natively, following `sops` conventions.
struct SecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Encrypt, decrypt and check SOPS secrets (age), without the sops binary.",
        subcommands: [
            SecretsKeygen.self, SecretsEncrypt.self, SecretsDecrypt.self, SecretsEdit.self,
            SecretsUpdateKeys.self, SecretsRotate.self, SecretsStatus.self, SecretsScan.self, SecretsFluxKey.self,
        ]
    )
}

/// Options shared by the commands that read `.sops.yaml`.
struct SOPSConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "The .sops.yaml to use (default: the nearest one from the working directory up).")
    var config: String?

    var operations: SecretsOperations { SecretsOperations(configPath: config) }
}

struct SecretsKeygen: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keygen", abstract: "Create an age identity (mode 0600; never overwrites).")

    @Option(name: [.short, .customLong("output")], help: "Key file to write (default: SOPS_AGE_KEY_FILE or ~/.config/sops/age/keys.txt).")
    var output: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let path = output ?? environment["SOPS_AGE_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? AgeKeySources.defaultKeyFile()
        let recipient = try SecretsOperations.keygen(to: path)
        Output.printError("wrote \(path)\n")
        Output.print("Public key: \(recipient.text)\n")
    }
}

struct SecretsEncrypt: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encrypt", abstract: "Encrypt a file with the recipients of its .sops.yaml rule.")

    @Argument(help: "The plaintext file.") var file: String
    @Flag(name: [.short, .customLong("in-place")], help: "Replace the file instead of printing.") var inPlace = false
    @Option(name: .customLong("age"), help: "Comma-separated age recipients (instead of .sops.yaml).") var age: String?
    @Option(name: .customLong("input-type"), help: "yaml, json, dotenv, ini or binary (default: from the extension).") var inputType: SOPSStoreKind?
    @OptionGroup var configOptions: SOPSConfigOptions

    func run() throws {
        let recipients = age.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        let output = try configOptions.operations.encrypt(file, recipients: recipients, inputType: inputType, inPlace: inPlace)
        if !inPlace { FileHandle.standardOutput.write(Data(output)) }
    }
}

struct SecretsDecrypt: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decrypt", abstract: "Decrypt files to stdout, one after another (or in place); the MAC is always verified.")

    @Argument(help: "The encrypted files.") var files: [String]
    @Flag(name: [.short, .customLong("in-place")], help: "Replace each file with its plaintext.") var inPlace = false
    @Option(name: .customLong("input-type"), help: "yaml, json, dotenv, ini or binary (default: from the extension).") var inputType: SOPSStoreKind?
    @OptionGroup var configOptions: SOPSConfigOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to decrypt") }
    }

    func run() throws {
        let operations = configOptions.operations
        // Every file is decrypted and verified before anything is printed, so a bad file
        // never leaves partial plaintext on the terminal.
        var outputs: [[UInt8]] = []
        for file in files {
            outputs.append(try operations.decrypt(file, inputType: inputType, inPlace: inPlace))
        }
        if !inPlace { for output in outputs { FileHandle.standardOutput.write(Data(output)) } }
    }
}

struct SecretsEdit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Edit a file decrypted in $EDITOR; unchanged values keep their ciphertext.")

    @Argument(help: "The encrypted file.") var file: String
    @OptionGroup var configOptions: SOPSConfigOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["SOPS_EDITOR"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let changed = try configOptions.operations.edit(file, editor: editor)
        Output.printError(changed ? "\(file) re-encrypted\n" : "\(file) unchanged\n")
    }
}

struct SecretsUpdateKeys: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "updatekeys", abstract: "Re-wrap the data key for the recipients .sops.yaml names now.")

    @Argument(help: "Encrypted files.") var files: [String]
    @OptionGroup var configOptions: SOPSConfigOptions

    func run() throws {
        for file in files {
            let changed = try configOptions.operations.updateKeys(file)
            Output.print("\(file): \(changed ? "recipients updated" : "already up to date")\n")
        }
    }
}

struct SecretsRotate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rotate", abstract: "Re-encrypt files with a new data key.")

    @Argument(help: "Encrypted files.") var files: [String]
    @OptionGroup var configOptions: SOPSConfigOptions

    func run() throws {
        for file in files {
            try configOptions.operations.rotate(file)
            Output.print("\(file): new data key\n")
        }
    }
}

struct SecretsStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Which files are encrypted, to whom, and which are not but should be.")

    @OptionGroup var repoOptions: RepoOptions

    func run() throws {
        let root = repoOptions.root
        let configuration = try CheckRunner.loadConfiguration(root: root)
        var scanner = RepoScanner()
        scanner.isSkipped = { configuration.isSkipped($0) }
        let entries = SecretsInventory.status(try scanner.scan(root: root), configuration: configuration)
        var failed = false
        for entry in entries {
            let state = entry.problems.isEmpty ? "ok" : "NEEDS ATTENTION"
            let who = entry.isEncrypted ? "encrypted to \(entry.recipients.joined(separator: ", "))" : "not encrypted"
            Output.print("\(entry.path): \(state), \(who)\n")
            for problem in entry.problems {
                Output.print("  \(problem.location.description): \(problem.message) [\(problem.ruleID)]\n")
                if problem.severity == .error { failed = true }
            }
        }
        if entries.isEmpty { Output.print("no SOPS files or Secrets\n") }
        if failed { throw ExitCode.failure }
    }
}

struct SecretsScan: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scan", abstract: "Look for plaintext secrets and unencrypted SOPS files (the secrets rules of `check`).")

    @OptionGroup var repoOptions: RepoOptions
    @Option(help: "Output format: text, json, sarif or github.") var format: ReportFormat = .text

    func run() throws {
        let options = CheckOptions(repoRoot: repoOptions.root, only: SecretsInventory.ruleIDs)
        let report = try CheckRunner.run(options)
        Output.print(format.reporter(colored: Output.useColor).report(report))
        if report.hasErrors { throw ExitCode.failure }
    }
}

struct SecretsFluxKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "flux-key", abstract: "Print the flux-system sops-age Secret (only into a pipe or file, never to a terminal).")

    @Option(help: "The Secret's namespace.") var namespace = "flux-system"

    func run() throws {
        guard isatty(STDOUT_FILENO) == 0 else {
            throw HomeportError("refusing to print a private key to a terminal; redirect it, e.g. `homeport secrets flux-key > sops-age.yaml` (and delete that file after use)")
        }
        Output.print(try FluxKey.secretManifest(try AgeKeySources.load(), namespace: namespace))
    }
}
