import Bootstrap
import Foundation
import HomeportCore
import Testing
import TestSupport

@Suite("homeport doctor")
struct DoctorTests {
    @Test("talosctl's minor must match talos.version; missing tools are named", arguments: [("v1.13.9", true), ("v1.12.4", false)])
    func talosctlMinor(talosVersion: String, fits: Bool) async throws {
        let bin = try TemporaryRepo()
        try FileManager.default.copyItem(atPath: SharedData.packageRoot + "/Tests/Fixtures/bootstrap/fakebin/talosctl", toPath: bin.root + "/talosctl")
        chmod(bin.root + "/talosctl", 0o755)
        // The fake is a Python program: keep the PATH that finds the test machine's python3.
        let path = bin.root + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let runner = ProcessRunner(environment: ["PATH": path, "FAKE_LOG": bin.root + "/log", "FAKE_STATE": bin.root,
                                                 "FAKE_TALOSCTL_VERSION": "v1.13.2"])
        let reports = await Doctor(runner: runner, talosVersion: talosVersion, kubernetesVersion: nil).check()
        let talosctl = try #require(reports.first { $0.name == "talosctl" })
        #expect(talosctl.version == "v1.13.2")
        #expect(talosctl.ok == fits, "\(talosctl.note)")
        if !fits { #expect(talosctl.note.contains("install talosctl v1.12")) }
        #expect(Doctor.render(reports).contains("talosctl  v1.13.2"))
    }
}
