/// Walks a byte buffer line by line, counting lines (1-based) for error messages.
/// A line is the bytes up to, not including, the next LF; a final line without LF counts too.
struct LineCursor {
    struct Line {
        var start: Int
        var end: Int
        /// 1-based line number in the file.
        var number: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    /// Number of the last line returned (0 before the first).
    private(set) var lineNumber = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func nextLine() -> Line? {
        guard position < bytes.count else { return nil }
        let start = position
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        position = end < bytes.count ? end + 1 : end
        lineNumber += 1
        return Line(start: start, end: end, number: lineNumber)
    }

    func text(_ line: Line) -> String {
        text(line.start, line.end)
    }

    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    func isBlank(_ line: Line) -> Bool {
        var i = line.start
        while i < line.end {
            if !ASCII.isSpace(bytes[i]) { return false }
            i += 1
        }
        return true
    }

    /// The byte ranges of the whitespace-separated words of `line`.
    func words(_ line: Line) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = line.start
        while i < line.end {
            while i < line.end, ASCII.isSpace(bytes[i]) { i += 1 }
            if i == line.end { break }
            let start = i
            while i < line.end, !ASCII.isSpace(bytes[i]) { i += 1 }
            result.append(start..<i)
        }
        return result
    }
}
