import Testing
@testable import Bootstrap

/// `talos apply --dry-run` prints talosctl's config diff: the cluster's keys and tokens in it
/// are hidden, the change a reviewer needs is not.
@Suite struct ConfigDiffMaskTests {
    @Test func secretsInADiffAreHiddenAndTheChangeStays() {
        let diff = """
            @@ -10,7 +10,8 @@
               token: wlzjyw.bei2zfylhs2by0wd
                 extraArgs:
                   rotate-server-certificates: "true"
            +      max-pods: "150"
            -    aescbcEncryptionSecret: z01mye6j16bspJYtTB/5SFX8j7Ahv6ZdCmaCQnkdn8U=
              ca:
                crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJQakNCOGFBREFnRUNBaEE=
                key: LS0tLS1CRUdJTiBFRDI1NTE5IFBSSVZBVEUgS0VZLS0tLS0KTUM0Q0FRQXdCUVlESzJWd0JDSUVJQnRq
            +  - MC4CAQAwBQYDK2VwBCIEIBtjUqHjkmexq2e9sAmhzqXxuoZ4b5mFHn2Y3zAA
            """
        let masked = TalosConfigRollout.maskSecrets(inDiff: diff)
        for secret in ["wlzjyw.bei2zfylhs2by0wd", "z01mye6j16bspJYtTB", "TUM0Q0FRQXdCUVlESzJWd0JDSUVJQnRq", "MC4CAQAwBQYDK2VwBCIEIBtj"] {
            #expect(!masked.contains(secret), "\(secret) is shown")
        }
        #expect(masked.contains("+      max-pods: \"150\""), "the change itself stays readable")
        #expect(masked.contains("   token: (hidden)"))
        #expect(masked.contains("@@ -10,7 +10,8 @@"))
    }
}
