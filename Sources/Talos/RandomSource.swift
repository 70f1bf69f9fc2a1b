import Crypto
import Foundation

/// Where generated secrets take their randomness from. Production uses the system generator;
/// tests inject a seeded source so everything but fresh RSA keys and ECDSA signatures is
/// reproducible.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

/// The operating system's cryptographically secure generator.
public struct SystemRandomSource: RandomSource {
    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// A deterministic stream: SHA-256 over the seed and a counter. For tests only.
public final class SeededRandomSource: RandomSource, @unchecked Sendable {
    private let seed: [UInt8]
    private var counter: UInt64 = 0
    private var buffer: [UInt8] = []
    private let lock = NSLock()

    public init(seed: String) {
        self.seed = Array(seed.utf8)
    }

    public func bytes(_ count: Int) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        while buffer.count < count {
            var block = seed
            withUnsafeBytes(of: counter.bigEndian) { block.append(contentsOf: $0) }
            counter += 1
            buffer += Array(SHA256.hash(data: block))
        }
        let result = Array(buffer.prefix(count))
        buffer.removeFirst(count)
        return result
    }
}

/// Talos's bootstrap and trustd tokens: `[0-9a-z]{6}.[0-9a-z]{16}`.
public enum TalosToken {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")

    /// A new token. Bytes of 252 and above are skipped so every character is equally likely
    /// (252 is the largest multiple of 36 that fits a byte).
    public static func generate(using random: any RandomSource) -> String {
        var characters: [Character] = []
        while characters.count < 22 {
            for byte in random.bytes(22 - characters.count) where byte < 252 {
                characters.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(characters.prefix(6)) + "." + String(characters.suffix(16))
    }

    public static func isValid(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 6, parts[1].count == 16 else { return false }
        return parts.joined().allSatisfy { alphabet.contains($0) }
    }
}
