/// Shamir secret sharing over GF(2^8) with the polynomial 0x11B, in the layout sops uses:
/// each share is the y bytes followed by its x coordinate.
public enum Shamir {
    public struct ShamirError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, product: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { product ^= a }
            let carry = a & 0x80 != 0
            a <<= 1
            if carry { a ^= 0x1B }
            b >>= 1
        }
        return product
    }

    static func inverse(_ a: UInt8) -> UInt8 {
        // a^254 = a^-1 in GF(2^8)
        var result: UInt8 = 1
        var base = a
        var exponent = 254
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base) }
            base = multiply(base, base)
            exponent >>= 1
        }
        return result
    }

    /// Splits `secret` into `parts` shares, any `threshold` of which recover it.
    public static func split(_ secret: [UInt8], parts: Int, threshold: Int) throws -> [[UInt8]] {
        guard parts >= 2, parts <= 255, threshold >= 2, threshold <= parts else {
            throw ShamirError(description: "Shamir needs 2 ≤ threshold ≤ parts ≤ 255 (got threshold \(threshold), parts \(parts))")
        }
        var xs: [UInt8] = Array(1...255).shuffled().prefix(parts).map(UInt8.init)
        xs.sort()
        var shares = xs.map { _ in [UInt8]() }
        for byte in secret {
            let coefficients = [byte] + Age.randomBytes(threshold - 1)
            for (index, x) in xs.enumerated() {
                // Horner's rule
                var y: UInt8 = 0
                for coefficient in coefficients.reversed() { y = multiply(y, x) ^ coefficient }
                shares[index].append(y)
            }
        }
        return zip(shares, xs).map { $0 + [$1] }
    }

    /// Recovers the secret from shares (Lagrange interpolation at 0).
    public static func combine(_ shares: [[UInt8]]) throws -> [UInt8] {
        guard shares.count >= 2, let length = shares.first?.count, length >= 2, shares.allSatisfy({ $0.count == length }) else {
            throw ShamirError(description: "need at least two shares of equal length")
        }
        let xs = shares.map { $0[length - 1] }
        guard Set(xs).count == xs.count, !xs.contains(0) else { throw ShamirError(description: "shares have duplicate x coordinates") }
        var secret = [UInt8](repeating: 0, count: length - 1)
        for position in 0..<(length - 1) {
            var value: UInt8 = 0
            for (i, xi) in xs.enumerated() {
                var basis: UInt8 = 1
                for (j, xj) in xs.enumerated() where i != j {
                    // basis *= xj / (xj - xi), subtraction is xor
                    basis = multiply(basis, multiply(xj, inverse(xj ^ xi)))
                }
                value ^= multiply(shares[i][position], basis)
            }
            secret[position] = value
        }
        return secret
    }
}
