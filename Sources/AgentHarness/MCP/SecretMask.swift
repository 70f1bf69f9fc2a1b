import Foundation
import MCP

/// Masks secret values in every tool result: the values of the server's secret-named
/// environment variables (the Proxmox token, Git tokens, …) and text that is a secret by its
/// shape (private keys, age identities, well-known token prefixes).
struct SecretMask: Sendable {
    static let replacement = "[masked]"
    /// Secrets shorter than this are not masked: masking `abc` everywhere would garble output.
    static let minimumLength = 6

    /// Known secret values, longest first so a secret that contains another is masked whole.
    let values: [String]

    init(environment: [String: String], extra: [String] = []) {
        let named = environment.filter { Self.isSecretName($0.key) }.map(\.value)
        values = Set((named + extra).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            .filter { $0.count >= Self.minimumLength }
            .sorted { $0.count > $1.count }
    }

    /// `PROXMOX_TOKEN_SECRET`, `FLUX_GIT_TOKEN`, `GITHUB_TOKEN`, `*_PASSWORD`, `*_API_KEY`…, but not
    /// variables that name a file holding a secret (`SOPS_AGE_KEY_FILE`).
    static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        if upper.hasSuffix("_FILE") || upper.hasSuffix("_PATH") || upper.hasSuffix("_DIR") { return false }
        return ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL", "API_KEY", "PRIVATE_KEY", "AGE_KEY"]
            .contains { upper.contains($0) }
    }

    static let shapes: [NSRegularExpression] = [
        "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)",
        "AGE-SECRET-KEY-1[0-9A-Za-z]+",
        "\\b(ghp_|gho_|ghs_|github_pat_|glpat-|xox[abp]-)[A-Za-z0-9_\\-]{8,}",
        "PVEAPIToken=[^\\s\"']+",
    ].compactMap { try? NSRegularExpression(pattern: $0) }

    func apply(_ text: String) -> String {
        var result = text
        for value in values where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: Self.replacement)
        }
        for shape in Self.shapes {
            result = shape.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: Self.replacement)
        }
        return result
    }

    func apply(_ value: Value) -> Value {
        switch value {
        case .string(let text): .string(apply(text))
        case .array(let items): .array(items.map { apply($0) })
        case .object(let fields): .object(fields.mapValues { apply($0) })
        default: value
        }
    }

    func apply(_ output: ToolOutput) -> ToolOutput {
        ToolOutput(text: apply(output.text), structured: output.structured.map(apply), isError: output.isError)
    }
}
