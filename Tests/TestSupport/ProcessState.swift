import Foundation

/// What Linux says of a process, for tests that check nothing they started outlives them.
public enum ProcessState {
    /// Whether `pid` is gone: no such process, or a zombie waiting to be reaped by someone else.
    public static func isGone(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return true }
        return status.contains("State:\tZ")
    }
}
