import Foundation
import HomeportCore

/// The cluster-definition half of `homeport init`: choose the template's definition, apply
/// the user's values, and, once the command has set up the keys, write the definition and
/// every file derived from it. Secrets and docs are other modules' steps.
public enum ClusterInit {
    /// What init will write, validated before anything is.
    public struct Plan: Sendable {
        /// The template definition init starts from.
        public var templatePath: String
        /// `config/clusters/NAME.yaml` of the user's cluster.
        public var targetPath: String
        /// The definition's new text (the template's layout and comments, new values).
        public var text: String
        public var loaded: LoadedClusterDefinition
    }

    /// The definition init starts from: the only one there is. A second definition means the
    /// repository was already made someone's (or holds several clusters): refuse.
    public static func template(_ workspace: ClusterWorkspace, name: String?) throws -> (path: String, text: String) {
        let paths = workspace.definitionPaths()
        let folder = ClusterDefinitionLoader.folder
        guard paths.count == 1 else {
            if let name, paths.contains("\(folder)/\(name).yaml") {
                throw HomeportError.usage("\(folder)/\(name).yaml already exists beside other definitions; this repository looks initialised. Edit the definition directly (`homeport cluster validate`)")
            }
            throw HomeportError.usage(paths.isEmpty
                ? "no cluster definition in \(folder)/ to start from"
                : "\(folder)/ holds several definitions (\(paths.joined(separator: ", "))); keep only the one to start from")
        }
        return (paths[0], try workspace.readText(paths[0]))
    }

    /// The template with `values` applied and validated; throws (writing nothing) when the
    /// name is not a DNS label, the result is not a valid definition, or a derived file of
    /// `workspace` cannot take its values.
    public static func plan(_ values: ClusterDefinitionValues, template: (path: String, text: String),
                            in workspace: ClusterWorkspace) throws -> Plan {
        let name = values.name ?? ClusterDefinitionLoader.baseName(of: template.path)
        // The name becomes a file name and a DNS label: refuse anything else before writing.
        guard !name.isEmpty, name.count <= 63, name.first != "-", name.last != "-",
              name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw HomeportError.usage("--cluster '\(name)' is not a valid name; use lowercase letters, digits and '-' (e.g. homelab)")
        }
        var named = values
        named.name = name
        let targetPath = "\(ClusterDefinitionLoader.folder)/\(name).yaml"
        let text = try ClusterDefinitionEditor.apply(named, to: template.text)
        let loaded = ClusterDefinitionLoader.load(text: text, path: targetPath)
        guard loaded.isValid else {
            let problems = loaded.issues.map { "  " + $0.formatted(path: targetPath) }.joined(separator: "\n")
            throw HomeportError.usage("the cluster definition would be invalid; nothing was written:\n\(problems)")
        }
        _ = try ClusterSync(workspace: workspace).entries(loaded)
        return Plan(templatePath: template.path, targetPath: targetPath, text: text, loaded: loaded)
    }

    /// Writes the definition, retires the template's definition and env file when the name
    /// changed (Git keeps them), and runs `cluster sync`. Returns one line per file for people.
    public static func write(_ plan: Plan, in workspace: ClusterWorkspace) throws -> String {
        let sync = ClusterSync(workspace: workspace)
        // Derive first: a derived file that cannot be edited stops init before it writes.
        _ = try sync.entries(plan.loaded)
        try AtomicFile.write(plan.text, to: URL(fileURLWithPath: workspace.root).appendingPathComponent(plan.targetPath))
        var report = "wrote \(plan.targetPath)\n"
        if plan.templatePath != plan.targetPath {
            report += try retireTemplate(plan.templatePath, in: workspace)
        }
        return report + ClusterSync.report(try sync.write(plan.loaded))
    }

    private static func retireTemplate(_ templatePath: String, in workspace: ClusterWorkspace) throws -> String {
        var retired = [templatePath]
        if let old = try? workspace.load(templatePath), let envPath = try? workspace.derivedPath(old, .env) { retired.append(envPath) }
        var report = ""
        for path in retired where FileManager.default.fileExists(atPath: workspace.root + "/" + path) {
            try FileManager.default.removeItem(atPath: workspace.root + "/" + path)
            report += "removed the template's \(path)\n"
        }
        return report
    }
}
