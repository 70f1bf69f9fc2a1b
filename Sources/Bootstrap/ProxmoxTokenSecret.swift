import ClusterSpec
import Foundation
import HomeportCore
import SOPSCrypto
import SOPSFormat

/// The Proxmox API token secret: `PROXMOX_TOKEN_SECRET`, else the `tokenSecret` key of the
/// SOPS-encrypted `proxmox.tokenSecretFile`, decrypted natively with the user's age key and
/// kept in memory only.
public enum ProxmoxTokenSecret {
    /// The secret, or nil when neither the variable nor the file is set.
    public static func read(for definition: ClusterDefinition, repoRoot: String, environment: [String: String]) throws -> String? {
        if let secret = environment["PROXMOX_TOKEN_SECRET"]?.trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty {
            return secret
        }
        guard let file = definition.proxmox.tokenSecretFile, !file.isEmpty else { return nil }
        let path = file.hasPrefix("/") ? file : "\(repoRoot)/\(file)"
        guard FileManager.default.fileExists(atPath: path) else {
            throw HomeportError.usage("proxmox.tokenSecretFile \(file) does not exist (or set PROXMOX_TOKEN_SECRET)")
        }
        let decrypted: SOPSDecrypted
        do {
            decrypted = try SecretsOperations(workingDirectory: repoRoot, environment: environment).open(path)
        } catch {
            throw HomeportError("cannot decrypt \(file): \(error) (the age key is read from SOPS_AGE_KEY_FILE or ~/.config/sops/age/keys.txt)")
        }
        guard let secret = decrypted.documents.lazy.compactMap({ tokenSecret(in: $0) }).first else {
            throw HomeportError("\(file) has no key tokenSecret (it must hold `tokenSecret: <the API token secret>`)")
        }
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func tokenSecret(in document: SOPSNode) -> String? {
        guard case .mapping(let items) = document else { return nil }
        for case .entry(let key, .scalar(let scalar), _) in items where key == "tokenSecret" {
            return scalar.plaintext
        }
        return nil
    }
}
