import HomeportCore

/// The Synology runbook (`synology/exports.md`) holds the values a person types into DSM: the
/// NAS address, the export path and the NFS allowlist. Those come from the definition, in a
/// generated section between two markers; the prose around it refers to the section instead
/// of repeating an address.
public enum NASExports {
    public static let path = "synology/exports.md"
    public static let beginMarker = "<!-- homeport:derived:begin"
    public static let endMarker = "<!-- homeport:derived:end -->"

    /// The marked section, markers included, ending in a newline.
    public static func section(_ definition: ClusterDefinition, definitionPath: String) -> String {
        let nfs = definition.nfs
        let missing = "not set (no `nfs:` in the cluster definition)"
        let nodes = definition.nodes.map { "`\($0.address)` (\($0.name))" }.joined(separator: ", ")
        let rows: [(String, String)] = [
            ("NAS address (`nfs.server`)", nfs.map { "`\($0.server)`" } ?? missing),
            ("export of the `k8s` folder (`nfs.path`)", nfs.map { "`\($0.path)`" } ?? missing),
            ("NFS clients (`network.nodeCIDR`)", "`\(definition.network.nodeCIDR)`"),
            ("node addresses (`nodes`)", nodes.isEmpty ? "none" : nodes),
            ("protocol (`nfs.version`)", nfs?.version.map { "NFSv\($0)" } ?? "the NAS's default"),
            ("client mount options (`nfs.mountOptions`)", nfs.map { $0.mountOptions.isEmpty ? "none" : "`\($0.mountOptions.joined(separator: ","))`" } ?? missing),
        ]
        var text = "\(beginMarker): generated from \(definitionPath) by `homeport cluster sync`; do not edit -->\n"
        text += "| from the cluster definition | value |\n|---|---|\n"
        for (setting, value) in rows { text += "| \(setting) | \(value) |\n" }
        return text + endMarker + "\n"
    }

    /// `text` with its marked section replaced by the definition's. Throws (with file and line)
    /// when the markers are missing, repeated or out of order.
    public static func derive(_ definition: ClusterDefinition, definitionPath: String, from text: String, path: String = path) throws -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let begins = lines.indices.filter { lines[$0].hasPrefix(beginMarker) }
        let ends = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces) == endMarker }
        guard let begin = begins.first else {
            throw HomeportError("has no `\(beginMarker) -->` … `\(endMarker)` section for the values the cluster definition decides; add the two marker lines and run `homeport cluster sync`",
                                at: SourceLocation(path: path, line: 1))
        }
        guard begins.count == 1, ends.count == 1, let end = ends.first, end > begin else {
            let line = (begins.count > 1 ? begins[1] : ends.first { $0 < begin } ?? ends.dropFirst().first ?? begin) + 1
            throw HomeportError("needs exactly one `\(beginMarker)` line followed by one `\(endMarker)` line", at: SourceLocation(path: path, line: line))
        }
        let rendered = section(definition, definitionPath: definitionPath).split(separator: "\n").map(String.init)
        lines.replaceSubrange(begin...end, with: rendered)
        return lines.joined(separator: "\n")
    }
}
