import Foundation
import HomeportCore

/// PEM blocks as Go's `encoding/pem` writes them: 64-character base64 lines, a final newline.
public struct PEMBlock: Sendable, Equatable {
    public var type: String
    public var der: [UInt8]

    public init(type: String, der: [UInt8]) {
        self.type = type
        self.der = der
    }

    public var text: String {
        let body = Data(der).base64EncodedString()
        var lines: [Substring] = []
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(body[index..<end])
            index = end
        }
        return "-----BEGIN \(type)-----\n" + lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n") + "-----END \(type)-----\n"
    }

    /// Parses every PEM block of `text`, in order.
    public static func parseAll(_ text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var type: String?
        var body = ""
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                type = String(line.dropFirst(11).dropLast(5))
                body = ""
            } else if line.hasPrefix("-----END "), let current = type {
                if let data = Data(base64Encoded: body) { blocks.append(PEMBlock(type: current, der: Array(data))) }
                type = nil
            } else if type != nil {
                body += line
            }
        }
        return blocks
    }

    /// The single block of `text`, or nil.
    public static func parse(_ text: String) -> PEMBlock? {
        let blocks = parseAll(text)
        return blocks.count == 1 ? blocks[0] : nil
    }
}

/// Talos stores every certificate and key as standard base64 of the PEM text.
enum Base64PEM {
    static func encode(_ pem: String) -> String {
        Data(pem.utf8).base64EncodedString()
    }

    static func decode(_ value: String) -> String? {
        Data(base64Encoded: value).flatMap { String(data: $0, encoding: .utf8) }
    }
}
