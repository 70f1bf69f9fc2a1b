import Foundation

/// Progress for long runs: on a terminal a spinner line shows the running step and each
/// finished step is printed above it; elsewhere (pipes, CI) plain lines only.
final class TerminalProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive: Bool
    private var current = ""
    private var frame = 0
    private var timer: DispatchSourceTimer?
    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    init(interactive: Bool = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb") {
        self.interactive = interactive
        guard interactive else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now(), repeating: .milliseconds(120))
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
    }

    /// Prints a finished step; the spinner keeps showing it as the latest state.
    func line(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if interactive {
            Output.print("\r\u{1B}[2K\(text)\n")
            current = text
            draw()
        } else {
            Output.print(text + "\n")
        }
    }

    /// Stops the spinner and clears its line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        if interactive { Output.print("\r\u{1B}[2K") }
    }

    private func tick() {
        lock.lock()
        defer { lock.unlock() }
        frame += 1
        draw()
    }

    private func draw() {
        guard interactive, timer != nil else { return }
        let text = current.count > 70 ? String(current.prefix(70)) + "…" : current
        Output.print("\r\u{1B}[2K\(Self.frames[frame % Self.frames.count]) working… (last: \(text))")
    }
}
