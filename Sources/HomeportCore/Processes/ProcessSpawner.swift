#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Starts children with `posix_spawn`, which (unlike `Foundation.Process`) lets homeport clear
/// the signal mask, reset signal dispositions and choose the process group in the child.
enum ProcessSpawner {
    static func spawn(_ invocation: ProcessInvocation, executable: String) throws -> ChildProcess {
        _ = ignoreBrokenPipes
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if invocation.ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        // Parent ends and files are opened close-on-exec, so no other child inherits them and a
        // reader always sees end of file when this child exits.
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { childEnds.forEach { _ = close($0) } }
        func pipeEnds() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw HomeportError("cannot create a pipe: \(String(cString: strerror(errno)))") }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            return (ends[0], ends[1])
        }

        var inputWriter: FileHandle?
        switch invocation.input {
        case .none: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .inherit: break
        case .data, .pipe:
            let ends = try pipeEnds()
            posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
            childEnds.append(ends.read)
            parentEnds.append(ends.write)
            inputWriter = FileHandle(fileDescriptor: ends.write, closeOnDealloc: true)
        }
        func route(_ destination: ProcessInvocation.OutputDestination, to descriptor: Int32) throws -> FileHandle? {
            switch destination {
            case .inherit: return nil
            case .discard:
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
                return nil
            case .file(let path):
                let file = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
                guard file >= 0 else { throw HomeportError("cannot open \(path) for a program's output: \(String(cString: strerror(errno)))") }
                posix_spawn_file_actions_adddup2(&actions, file, descriptor)
                childEnds.append(file)
                return nil
            case .capture:
                let ends = try pipeEnds()
                posix_spawn_file_actions_adddup2(&actions, ends.write, descriptor)
                childEnds.append(ends.write)
                parentEnds.append(ends.read)
                return FileHandle(fileDescriptor: ends.read, closeOnDealloc: true)
            }
        }
        let outputReader: FileHandle?
        let errorReader: FileHandle?
        do {
            outputReader = try route(invocation.output, to: 1)
            errorReader = try route(invocation.error, to: 2)
            if let directory = invocation.directory { try changeDirectory(&actions, to: directory) }
            closeInheritedDescriptors(&actions)
        } catch {
            parentEnds.forEach { _ = close($0) }
            throw error
        }

        let argv = ([executable] + invocation.arguments).map { strdup($0) } + [nil]
        let envp = invocation.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        return try ChildProcessRegistry.shared.register(interactive: !invocation.ownProcessGroup) {
            var pid: pid_t = 0
            let failure = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            guard failure == 0 else {
                // FileHandles close their descriptors when released.
                throw HomeportError("cannot run \(invocation.program): \(String(cString: strerror(failure)))")
            }
            return ChildProcess(pid: pid, commandLine: invocation.commandLine, leadsGroup: invocation.ownProcessGroup,
                                inputWriter: inputWriter, outputReader: outputReader, errorReader: errorReader)
        }
    }

    /// A child that exits before reading all its input must not kill homeport with SIGPIPE:
    /// the write fails with EPIPE instead. Children get the default disposition back.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    #if canImport(Glibc)
    /// glibc has `posix_spawn_file_actions_addchdir_np` (2.29 and later) but Swift does not
    /// import it, so it is looked up by name.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdir: AddChdir? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }
    #endif

    #if canImport(Glibc)
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34 and later), looked up by name too.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
    #endif

    /// The child keeps only its three standard streams. Descriptors another thread opened
    /// without close-on-exec (a file being written, a socket) would otherwise live on in the
    /// child: a script still open for writing cannot be run ("text file busy"), and a pipe
    /// held by a child never reaches end of file.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        #if canImport(Glibc)
        if let addCloseFrom, addCloseFrom(&actions, 3) == 0 { return }
        #endif
        // Without closefrom: close what is open now (a descriptor opened after this listing
        // and before the spawn can still slip through).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/fd"))?.compactMap { Int32($0) } ?? []
        for descriptor in open where descriptor > 2 && fcntl(descriptor, F_GETFD) >= 0 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    private static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, to directory: String) throws {
        #if canImport(Glibc)
        guard let addChdir else { throw HomeportError("this C library cannot start a program in another folder (glibc 2.29 or newer needed)") }
        guard addChdir(&actions, directory) == 0 else { throw HomeportError("cannot start a program in \(directory)") }
        #else
        guard posix_spawn_file_actions_addchdir_np(&actions, directory) == 0 else {
            throw HomeportError("cannot start a program in \(directory)")
        }
        #endif
    }
}
