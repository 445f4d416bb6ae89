#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A text file written line by line and flushed, so a killed run leaves every completed line.
final class TextFile {
    let path: String
    private var handle: UnsafeMutablePointer<FILE>?

    init(path: String, append: Bool = false) throws {
        self.path = path
        handle = fopen(path, append ? "a" : "w")
        guard handle != nil else {
            throw InputError(file: path, "cannot open for writing: \(String(cString: strerror(errno)))")
        }
    }

    func write(_ line: String) {
        guard let handle else { return }
        fputs(line, handle)
        fputs("\n", handle)
        fflush(handle)
    }

    func close() {
        if let handle { fclose(handle) }
        handle = nil
    }

    deinit { close() }

    /// Writes `text` to `path` atomically: temporary file, fsync, rename.
    static func writeAtomically(_ text: String, to path: String) throws {
        let temporary = path + ".tmp"
        guard let file = fopen(temporary, "w") else {
            throw InputError(file: path, "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        fputs(text, file)
        fflush(file)
        fsync(fileno(file))
        fclose(file)
        guard rename(temporary, path) == 0 else {
            throw InputError(file: path, "cannot rename \(temporary): \(String(cString: strerror(errno)))")
        }
    }
}

/// Whether standard error is a terminal (progress lines then overwrite themselves).
var standardErrorIsTerminal: Bool { isatty(2) != 0 }

func printError(_ text: String) {
    fputs(text + "\n", stderr)
}
