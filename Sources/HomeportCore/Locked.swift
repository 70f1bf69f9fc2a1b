import Synchronization

/// A value shared between threads, guarded by a `Mutex`. A class, so escaping closures
/// (reader threads, timers) can hold it.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) { mutex = Mutex(value) }

    /// Reads or changes the value while holding the lock.
    public func withLock<Result: Sendable>(_ body: (inout sending Value) throws -> sending Result) rethrows -> Result {
        try mutex.withLock(body)
    }

    /// A copy of the value now.
    public var value: Value { mutex.withLock { $0 } }
}
