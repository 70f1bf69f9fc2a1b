import ArgumentParser
import Foundation
import HomeportCore
import SOPSCrypto

/// `homeport backup --to PATH` and `homeport backup restore FILE`: disaster recovery for
/// what cannot be regenerated.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up (or restore) the age key, Talos secrets, talosconfig and deploy key as one encrypted file.",
        subcommands: [BackupCreate.self, BackupRestore.self],
        defaultSubcommand: BackupCreate.self
    )

    /// The passphrase from HOMEPORT_BACKUP_PASSPHRASE, else asked on the terminal.
    static func passphrase(confirm: Bool) throws -> String {
        if let value = ProcessInfo.processInfo.environment["HOMEPORT_BACKUP_PASSPHRASE"], !value.isEmpty { return value }
        guard isatty(STDIN_FILENO) == 1, let first = getpass("Recovery passphrase: ").map({ String(cString: $0) }), !first.isEmpty else {
            throw HomeportError.usage("no passphrase: set HOMEPORT_BACKUP_PASSPHRASE or run on a terminal (or use --recipient)")
        }
        if confirm {
            guard let second = getpass("Again: ").map({ String(cString: $0) }), second == first else {
                throw HomeportError.usage("the passphrases differ")
            }
        }
        return first
    }
}

struct BackupCreate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Write the recovery backup.")

    @OptionGroup var repoOptions: RepoOptions
    @Option(name: .customLong("to"), help: "Where to write the backup (e.g. on the NAS).") var destination: String
    @Option(help: "Encrypt to this recovery recipient (age1…) instead of a passphrase.") var recipient: String?
    @Option(name: .customLong("deploy-key"), help: "The Git deploy key to include.") var deployKey: String?
    @Flag(help: "Replace an existing backup file.") var force = false

    func run() throws {
        if FileManager.default.fileExists(atPath: destination), !force {
            throw HomeportError("\(destination) exists; pass --force to replace it")
        }
        let environment = ProcessInfo.processInfo.environment
        let keyFile = environment["SOPS_AGE_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? AgeKeySources.defaultKeyFile()
        let (items, missing) = RecoveryBackup.collect(repoRoot: repoOptions.root, ageKeyFile: keyFile, deployKey: deployKey,
                                                      home: environment["HOME"] ?? NSHomeDirectory())
        for item in missing { Output.printError("warning: not found, not backed up: \(item)\n") }
        let protection: RecoveryBackup.Protection = try recipient.map { .recipient(try AgeRecipient(text: $0)) }
            ?? .passphrase(try BackupCommand.passphrase(confirm: true))
        let sealed = try RecoveryBackup.seal(items, protection: protection)
        try AtomicFile.write(Data(sealed), to: URL(fileURLWithPath: destination), permissions: 0o600)
        Output.print("wrote \(destination): \(items.map { "\($0.role) \($0.path)" }.joined(separator: ", "))\n")
    }
}

struct BackupRestore: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Put the files of a recovery backup back in place.")

    @Argument(help: "The backup file.") var file: String
    @Flag(help: "Decrypt with age identities (SOPS_AGE_KEY_FILE…) instead of a passphrase.") var identity = false
    @Flag(help: "Replace files that differ (the old ones are kept as .before-restore).") var force = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw HomeportError("cannot read \(file)") }
        let items = try RecoveryBackup.open([UInt8](data), passphrase: identity ? nil : try BackupCommand.passphrase(confirm: false),
                                            identities: identity ? try AgeKeySources.load() : [])
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        for outcome in try RecoveryBackup.restore(items, home: home, overwrite: force) {
            switch outcome {
            case .written(let path): Output.print("restored \(path)\n")
            case .alreadyPresent(let path): Output.print("unchanged \(path)\n")
            }
        }
    }
}
