import Foundation

/// The `sops-age` Secret kustomize-controller reads age identities from (every data key
/// ending in `.agekey`), built in-process for bootstrap.
public enum FluxKey {
    /// The Secret manifest holding `identities` as `age.agekey`.
    public static func secretManifest(_ identities: [AgeIdentity], name: String = "sops-age", namespace: String = "flux-system") throws -> String {
        guard !identities.isEmpty else {
            throw SOPSError("no age identity to give Flux (set SOPS_AGE_KEY_FILE or create ~/.config/sops/age/keys.txt)")
        }
        let keyFile = identities.map { "# public key: \($0.recipient.text)\n\($0.secretText)\n" }.joined()
        return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: \(name)
          namespace: \(namespace)
        type: Opaque
        data:
          age.agekey: \(Data(keyFile.utf8).base64EncodedString())

        """
    }
}
