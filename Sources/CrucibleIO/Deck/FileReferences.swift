import Foundation

/// Paths named in the deck: resolved from the deck's folder, and checked before the run
/// so a typo fails in a second instead of after hours of equilibration.
enum FileReferences {
    static func absolutePath(_ path: String, base: String) -> String {
        var expanded = path
        if path == "~" || path.hasPrefix("~/") {
            expanded = NSHomeDirectory() + path.dropFirst()
        }
        let url = expanded.hasPrefix("/")
            ? URL(fileURLWithPath: expanded)
            : URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent(expanded)
        return url.standardizedFileURL.path
    }

    /// Paths in messages are shown whole unless absurdly long.
    private static func shown(_ path: String) -> String {
        DeckValue.printable(path, limit: 300)
    }

    /// The text of a path value, refused when it holds control characters (no file system wants them).
    private static func pathText(_ value: DeckValue, _ context: DeckContext, what: String) -> String? {
        guard let text = value.text(context, what: what) else { return nil }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            context.report("\(what) contains control characters: \(value.found)", about: value)
            return nil
        }
        return text
    }

    /// An input file that must exist and be readable; `extensions` lists the accepted endings.
    static func existingFile(_ value: DeckValue, _ context: DeckContext, what: String, extensions: [String] = []) -> String? {
        guard let text = pathText(value, context, what: what) else { return nil }
        if !extensions.isEmpty, !extensions.contains(where: { text.lowercased().hasSuffix($0) }) {
            context.report("\(what) must end in \(extensions.joined(separator: " or ")), found \(value.found)", about: value)
            return nil
        }
        let path = absolutePath(text, base: context.baseDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            var message = "file not found: \(shown(path))"
            if !text.hasPrefix("/") && !text.hasPrefix("~") {
                message += " (relative paths start from the deck's folder)"
            }
            context.report(message, about: value)
            return nil
        }
        guard !isDirectory.boolValue else {
            context.report("\(shown(path)) is a folder, not a file", about: value)
            return nil
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            context.report("file \(shown(path)) cannot be read (permissions)", about: value)
            return nil
        }
        return path
    }

    /// A file the run will write: its folder must exist and it must not be a folder itself.
    /// `why` (appended to the message) says why only `extensions` are accepted.
    static func outputFile(_ value: DeckValue, _ context: DeckContext, what: String, extensions: [String], why: String? = nil) -> String? {
        guard let text = pathText(value, context, what: what) else { return nil }
        if !extensions.isEmpty, !extensions.contains(where: { text.lowercased().hasSuffix($0) }) {
            context.report("\(what) must end in \(extensions.joined(separator: " or ")), found \(value.found)" + (why.map { ": \($0)" } ?? ""),
                           about: value)
            return nil
        }
        let path = absolutePath(text, base: context.baseDirectory)
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            context.report("folder \(shown(folder)) does not exist; create it or change the path", about: value)
            return nil
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            context.report("\(shown(path)) is a folder, not a file", about: value)
            return nil
        }
        return path
    }
}
