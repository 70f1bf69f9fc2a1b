import Flux
import Foundation

/// Schema sources produced once, optionally on a background thread so reading schema files
/// overlaps with building the Flux tree.
public final class SchemaLoader: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: SchemaSources?
    private let lock = NSLock()
    private let produce: @Sendable () -> SchemaSources

    public init(inBackground: Bool = false, _ produce: @escaping @Sendable () -> SchemaSources) {
        self.produce = produce
        if inBackground {
            group.enter()
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                let value = produce()
                lock.lock()
                result = value
                lock.unlock()
                group.leave()
            }
        }
    }

    /// The sources, waiting for the background read when one is running.
    public var value: SchemaSources {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        if let result { return result }
        let value = produce()
        result = value
        return value
    }
}
