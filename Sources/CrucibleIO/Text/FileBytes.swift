import Foundation
#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// Whole-file reading and writing as bytes: the parsers work on bytes, not Strings, for speed.
enum FileBytes {
    static func read(path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError(file: path, exists ? "cannot read the file (permissions?)" : "file not found")
        }
        return [UInt8](data)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let ok = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        if !ok { throw InputError(file: path, "cannot write the file (does the directory exist and is it writable?)") }
    }
}

/// ASCII classes used by both readers.
enum ASCII {
    /// The whitespace that separates tokens: space, tab, CR, LF, FF, VT.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
