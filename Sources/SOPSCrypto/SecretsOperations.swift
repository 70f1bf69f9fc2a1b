import Foundation
import HomeportCore
import SOPSFormat

/// The file-level secrets operations behind `homeport secrets …`: they read files, pick the
/// `.sops.yaml` rule, and write atomically. Nothing here prints plaintext; callers decide.
public struct SecretsOperations: Sendable {
    /// The folder `.sops.yaml` is searched from (sops uses the working directory).
    public var workingDirectory: String
    /// An explicit `.sops.yaml` (`--config`).
    public var configPath: String?
    public var environment: [String: String]

    public init(workingDirectory: String = FileManager.default.currentDirectoryPath, configPath: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.workingDirectory = workingDirectory
        self.configPath = configPath
        self.environment = environment
    }

    // MARK: keys

    /// Writes a new key file (mode 0600); refuses to overwrite. Returns the public recipient.
    public static func keygen(to path: String) throws -> AgeRecipient {
        if FileManager.default.fileExists(atPath: path) {
            throw HomeportError("\(path) already exists; refusing to overwrite an age key (move it away first if you really mean to replace it)")
        }
        let identity = AgeIdentity.generate()
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // The link check closes the window between the existence check and the rename.
        let text = identity.keyFileText()
        let temporary = path + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw HomeportError("cannot write \(temporary)")
        }
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        guard link(temporary, path) == 0 else {
            throw HomeportError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        return identity.recipient
    }

    public func identities() throws -> [AgeIdentity] {
        try AgeKeySources.load(environment: environment)
    }

    // MARK: rules

    /// The `.sops.yaml` in effect and its folder.
    public func config() throws -> (config: SOPSConfig, directory: String)? {
        let path = configPath ?? SOPSConfig.locate(from: workingDirectory)
        guard let path else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw HomeportError("cannot read \(path)")
        }
        let config = SOPSConfig.parse(text)
        if let problem = config.problems.first {
            throw HomeportError(".sops.yaml \(problem.message)", at: SourceLocation(path: path, line: problem.mark?.line))
        }
        return (config, URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path)
    }

    /// The plan for a file: explicit recipients, else the first matching creation rule.
    public func plan(for file: String, recipients: [String] = []) throws -> SOPSKeyPlan {
        if !recipients.isEmpty {
            return SOPSKeyPlan(keyGroups: [try recipients.map { try AgeRecipient(text: $0) }])
        }
        guard let (config, directory) = try config() else {
            throw HomeportError.usage("no .sops.yaml found from \(workingDirectory) upward, and no --age recipients given")
        }
        let relative = Self.relativePath(absolute(file), to: directory)
        guard let rule = config.rule(for: relative) else {
            throw HomeportError("no creation rule in \(directory)/.sops.yaml matches \(relative)")
        }
        return try SOPSKeyPlan(rule: rule)
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).standardizedFileURL.path
    }

    static func relativePath(_ path: String, to directory: String) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func kind(for path: String, override: SOPSStoreKind?) -> SOPSStoreKind {
        override ?? SOPSStoreKind.forPath(path)
    }

    func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: absolute(path)) else {
            throw HomeportError("cannot read \(path)")
        }
        return [UInt8](data)
    }

    func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: absolute(path))
        let existing = (try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? nil
        try AtomicFile.write(Data(bytes), to: url, permissions: existing ?? 0o600)
    }

    // MARK: operations

    /// Encrypts a plaintext file; returns the encrypted bytes (written back with `inPlace`).
    public func encrypt(_ path: String, recipients: [String] = [], inputType: SOPSStoreKind? = nil, inPlace: Bool = false) throws -> [UInt8] {
        let kind = Self.kind(for: path, override: inputType)
        let plan = try plan(for: path, recipients: recipients)
        let output: [UInt8]
        do { output = try SOPSEngine.encrypt(try read(path), kind: kind, plan: plan) } catch let error as SOPSError {
            throw HomeportError("cannot encrypt \(path): \(error.message)")
        }
        if inPlace { try write(output, to: path) }
        return output
    }

    /// Decrypts a file (verifying the MAC); returns the plaintext (written back with `inPlace`).
    public func decrypt(_ path: String, inputType: SOPSStoreKind? = nil, inPlace: Bool = false) throws -> [UInt8] {
        let decrypted = try open(path, inputType: inputType)
        if inPlace { try write(decrypted.plaintext, to: path) }
        return decrypted.plaintext
    }

    /// Decrypts a file into its trees.
    public func open(_ path: String, inputType: SOPSStoreKind? = nil) throws -> SOPSDecrypted {
        let kind = Self.kind(for: path, override: inputType)
        do { return try SOPSEngine.decrypt(try read(path), kind: kind, identities: try identities()) } catch let error as SOPSError {
            throw HomeportError("cannot decrypt \(path): \(error.message)")
        }
    }

    /// The plan a file was encrypted with (its own recipients and selection).
    static func plan(of metadata: SOPSMetadata) throws -> SOPSKeyPlan {
        SOPSKeyPlan(keyGroups: try metadata.keyGroups.map { try $0.age.map { try AgeRecipient(text: $0.recipient) } },
                    shamirThreshold: metadata.shamirThreshold, selection: metadata.effectiveSelection,
                    macOnlyEncrypted: metadata.macOnlyEncrypted)
    }

    /// Re-wraps the data key for the recipients the file's rule names now. Values, MAC and
    /// lastmodified stay. Returns false when nothing had to change.
    @discardableResult
    public func updateKeys(_ path: String) throws -> Bool {
        let decrypted = try open(path)
        var plan = try plan(for: path)
        plan.selection = decrypted.metadata.effectiveSelection
        plan.macOnlyEncrypted = decrypted.metadata.macOnlyEncrypted
        let current = decrypted.metadata.keyGroups.map { Set($0.age.map(\.recipient)) }
        let wanted = plan.keyGroups.map { Set($0.map(\.text)) }
        if current == wanted, decrypted.metadata.shamirThreshold == (plan.keyGroups.count > 1 ? plan.shamirThreshold ?? plan.keyGroups.count : nil) {
            return false
        }
        let metadata = try SOPSEngine.wrap(dataKey: decrypted.dataKey, plan: plan, lastModified: decrypted.metadata.lastModified,
                                           mac: decrypted.metadata.mac)
        try write(try replacingMetadata(path, kind: decrypted.kind, with: metadata), to: path)
        return true
    }

    private func replacingMetadata(_ path: String, kind: SOPSStoreKind, with metadata: SOPSMetadata) throws -> [UInt8] {
        guard let text = String(bytes: try read(path), encoding: .utf8) else { throw HomeportError("\(path) is not text") }
        var parsed = try SOPSStore.parse(text, kind: kind == .binary ? .json : kind)
        parsed.metadataNode = metadata.node
        return Array(SOPSStore.emit(parsed).utf8)
    }

    /// Re-encrypts with a new data key (same recipients and selection).
    public func rotate(_ path: String) throws {
        let decrypted = try open(path)
        let plan = try Self.plan(of: decrypted.metadata)
        let output = try SOPSEngine.encrypt(documents: decrypted.documents, binary: decrypted.binary, kind: decrypted.kind, plan: plan)
        try write(output, to: path)
    }

    /// Re-encrypts edited plaintext, reusing the data key and the IV of every value whose
    /// plaintext, key path and type are unchanged.
    public func reencrypt(_ path: String, previous: SOPSDecrypted, editedPlaintext: [UInt8]) throws {
        let plan = try Self.plan(of: previous.metadata)
        let output: [UInt8]
        do {
            output = try SOPSEngine.encrypt(editedPlaintext, kind: previous.kind, plan: plan, reusing: previous)
        } catch let error as SOPSError {
            throw HomeportError("the edited file cannot be encrypted (\(error.message)); \(path) is unchanged")
        }
        try write(output, to: path)
    }

    /// Decrypts to a 0600 file in a private folder, runs the editor on it, re-encrypts when
    /// it changed. The plaintext file is removed whatever happens. A file that does not exist
    /// yet starts empty and is encrypted with its `.sops.yaml` rule. Returns true when the
    /// file changed.
    public func edit(_ path: String, editor: String) throws -> Bool {
        let isNew = !FileManager.default.fileExists(atPath: absolute(path))
        let decrypted: SOPSDecrypted? = isNew ? nil : try open(path)
        let newPlan: SOPSKeyPlan? = isNew ? try plan(for: path) : nil
        let initial: [UInt8] = decrypted?.plaintext ?? (SOPSStoreKind.forPath(path) == .json ? Array("{}\n".utf8) : [])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("homeport-edit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let scratch = folder.appendingPathComponent((path as NSString).lastPathComponent)
        guard FileManager.default.createFile(atPath: scratch.path, contents: Data(initial), attributes: [.posixPermissions: 0o600]) else {
            throw HomeportError("cannot create a private temporary file")
        }
        // The editor may carry arguments (`code --wait`): let the shell split it. It reads the
        // terminal, so it stays in the terminal's process group and gets Ctrl-C itself.
        let invocation = ProcessInvocation("/bin/sh", ["-c", "\(editor) \"$1\"", "homeport-editor", scratch.path],
                                           environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                                           input: .inherit, output: .inherit, error: .inherit,
                                           ownProcessGroup: false)
        let editorProcess = try ProcessRunner().start(invocation)
        // Like git, leave interrupts to the editor while it runs, so that Ctrl-C or a closed
        // terminal ends the editor and this process still removes the plaintext afterwards.
        // Ignored only after the editor started (children get default handlers back anyway).
        let previous = [SIGINT, SIGQUIT, SIGHUP].map { ($0, signal($0, SIG_IGN)) }
        defer { for (number, handler) in previous { signal(number, handler) } }
        let ended = editorProcess.waitForExit()
        guard ended == .exited(0) else {
            throw HomeportError("the editor exited with status \(ended.code); \(path) is unchanged")
        }
        guard let edited = FileManager.default.contents(atPath: scratch.path) else { throw HomeportError("the edited file disappeared; \(path) is unchanged") }
        if [UInt8](edited) == initial { return false }
        if let decrypted {
            try reencrypt(path, previous: decrypted, editedPlaintext: [UInt8](edited))
        } else if let newPlan {
            let output: [UInt8]
            do { output = try SOPSEngine.encrypt([UInt8](edited), kind: SOPSStoreKind.forPath(path), plan: newPlan) } catch let error as SOPSError {
                throw HomeportError("the new file cannot be encrypted (\(error.message)); nothing was written")
            }
            try write(output, to: path)
        }
        return true
    }
}
