import CrucibleCore
import Foundation

/// Reads the deck file as UTF-8 text, with errors that say which byte is wrong.
enum DeckFile {
    /// Decks are a few kB; anything far larger is a wrong path, not a deck.
    static let maximumBytes = 8 * 1024 * 1024

    static func read(path: String, absolutePath: String) throws(DeckErrors) -> String {
        // Problems with the file as a whole have no line to point at.
        func failure(_ message: String) -> DeckErrors {
            DeckErrors([InputError(file: path, message)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolutePath, isDirectory: &isDirectory) else {
            throw failure("deck file not found: \(absolutePath)")
        }
        guard !isDirectory.boolValue else { throw failure("\(absolutePath) is a folder, not a deck file") }
        guard let handle = FileHandle(forReadingAtPath: absolutePath) else {
            throw failure("deck file \(absolutePath) cannot be read (permissions)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            throw failure("deck file \(absolutePath) cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= maximumBytes else {
            throw failure("deck file is larger than \(maximumBytes / 1024 / 1024) MB; is this really a deck?")
        }
        return try decodeUTF8([UInt8](data), path: path)
    }

    static func decodeUTF8(_ bytes: [UInt8], path: String) throws(DeckErrors) -> String {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
            case .emptyInput:
                return String(decoding: bytes, as: UTF8.self)
            case .error:
                let position = TextLines.position(ofByteOffset: offset, in: bytes)
                let byte = String(bytes[offset], radix: 16, uppercase: true)
                throw DeckErrors([InputError(file: path, line: position.line, column: position.column,
                                             "the deck is not UTF-8 text (byte 0x\(byte)); save it as UTF-8")])
            }
        }
    }
}
