import Foundation
import HomeportCore

/// `homeport backup`: the material that cannot be regenerated (the age key, the Talos
/// secrets bundle, talosconfig, the Git deploy key) as one age file, encrypted to an offline
/// recovery passphrase (scrypt) or a separate recovery recipient.
public enum RecoveryBackup {
    /// One file in the backup.
    public struct Item: Codable, Sendable, Equatable {
        /// What it is: `age-key`, `talos-secrets`, `talosconfig`, `deploy-key`.
        public var role: String
        /// Where it came from; `~` stands for the home folder, so a restore on a new
        /// workstation puts it in the new home.
        public var path: String
        public var mode: Int
        public var content: Data

        public init(role: String, path: String, mode: Int, content: Data) {
            self.role = role
            self.path = path
            self.mode = mode
            self.content = content
        }
    }

    struct Archive: Codable {
        var format = "homeport-backup/v1"
        var created: String
        var items: [Item]
    }

    /// How the backup is encrypted.
    public enum Protection: Sendable {
        case passphrase(String, workFactor: Int = 18)
        case recipient(AgeRecipient)
    }

    /// Collects the items that exist: the age key file, and for each `.talos/<cluster>/`
    /// folder its `secrets.yaml`, `talosconfig` and `deploy-key`; plus an explicit deploy key.
    /// Returns the items and what was looked for but missing.
    public static func collect(repoRoot: String, ageKeyFile: String, deployKey: String?, home: String) -> (items: [Item], missing: [String]) {
        var items: [Item] = []
        var missing: [String] = []
        func add(_ role: String, _ path: String) {
            guard let data = FileManager.default.contents(atPath: path) else { missing.append("\(role) (\(path))"); return }
            let mode = ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? 0o600
            items.append(Item(role: role, path: tilde(path, home: home), mode: mode & 0o777, content: data))
        }
        add("age-key", ageKeyFile)
        let talos = repoRoot + "/.talos"
        let clusters = ((try? FileManager.default.contentsOfDirectory(atPath: talos)) ?? []).sorted()
        if clusters.isEmpty { missing.append("Talos secrets (\(talos)/<cluster>/ holds none)") }
        for cluster in clusters {
            add("talos-secrets", "\(talos)/\(cluster)/secrets.yaml")
            add("talosconfig", "\(talos)/\(cluster)/talosconfig")
            let deploy = "\(talos)/\(cluster)/deploy-key"
            if FileManager.default.fileExists(atPath: deploy) { add("deploy-key", deploy) }
        }
        if let deployKey { add("deploy-key", deployKey) }
        return (items, missing)
    }

    static func tilde(_ path: String, home: String) -> String {
        let prefix = home.hasSuffix("/") ? home : home + "/"
        return path.hasPrefix(prefix) ? "~/" + path.dropFirst(prefix.count) : path
    }

    static func expand(_ path: String, home: String) -> String {
        path.hasPrefix("~/") ? (home.hasSuffix("/") ? home : home + "/") + path.dropFirst(2) : path
    }

    /// The encrypted, armored backup.
    public static func seal(_ items: [Item], protection: Protection, now: Date = Date()) throws -> [UInt8] {
        guard !items.isEmpty else { throw HomeportError("nothing to back up") }
        let formatter = ISO8601DateFormatter()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plaintext = [UInt8](try encoder.encode(Archive(created: formatter.string(from: now), items: items)))
        switch protection {
        case .passphrase(let passphrase, let workFactor):
            return try Age.encrypt(plaintext, passphrase: passphrase, logN: workFactor, armor: true)
        case .recipient(let recipient):
            return try Age.encrypt(plaintext, to: [recipient], armor: true)
        }
    }

    /// Decrypts a backup with a passphrase or identities.
    public static func open(_ bytes: [UInt8], passphrase: String?, identities: [AgeIdentity]) throws -> [Item] {
        let plaintext: [UInt8]
        do {
            if let passphrase { plaintext = try Age.decrypt(bytes, passphrase: passphrase) } else { plaintext = try Age.decrypt(bytes, identities: identities) }
        } catch let error as AgeError {
            throw HomeportError("cannot open the backup: \(error)")
        }
        guard let archive = try? JSONDecoder().decode(Archive.self, from: Data(plaintext)), archive.format == "homeport-backup/v1" else {
            throw HomeportError("the backup decrypts but is not a homeport backup")
        }
        return archive.items
    }

    /// What a restore did with each item.
    public enum Outcome: Sendable, Equatable {
        case written(String)
        case alreadyPresent(String)
    }

    /// Puts items back. An existing file with other content is an error unless `overwrite`
    /// (then it is kept beside as `<file>.before-restore`). Nothing is written before every
    /// conflict is known.
    public static func restore(_ items: [Item], home: String, overwrite: Bool) throws -> [Outcome] {
        var conflicts: [String] = []
        for item in items {
            let path = expand(item.path, home: home)
            if let existing = FileManager.default.contents(atPath: path), existing != item.content { conflicts.append(path) }
        }
        if !conflicts.isEmpty, !overwrite {
            throw HomeportError("these files exist with other content: \(conflicts.joined(separator: ", ")); move them away or pass --force (they are then kept as .before-restore)")
        }
        var outcomes: [Outcome] = []
        for item in items {
            let path = expand(item.path, home: home)
            if let existing = FileManager.default.contents(atPath: path) {
                if existing == item.content { outcomes.append(.alreadyPresent(path)); continue }
                try AtomicFile.write(existing, to: URL(fileURLWithPath: path + ".before-restore"), permissions: 0o600)
            }
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try AtomicFile.write(item.content, to: URL(fileURLWithPath: path), permissions: item.mode == 0 ? 0o600 : item.mode)
            outcomes.append(.written(path))
        }
        return outcomes
    }
}
