#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// Reads a tabulated-potential file the way LAMMPS's PotentialFileReader does, so that every file
/// LAMMPS accepts is read to the same numbers:
/// - `skipLine` consumes one raw line (the free-text header lines);
/// - `words(atLeast:)` joins lines (text after `#` removed, blank lines skipped) until it has at
///   least n words — header lines may be split;
/// - `table(count:)` collects numbers from whole lines until it has n; numbers may be spread over
///   lines arbitrarily, but whatever follows the n-th number on its line is dropped (LAMMPS's
///   `next_dvector` drops it too), which we report as a warning.
/// Numbers must match LAMMPS's grammar (`utils::is_double` / `is_integer`); anything else is an error.
struct PotentialTextReader {
    struct Word {
        var start: Int
        var end: Int
        var line: Int
        var column: Int
    }

    let fileName: String
    private var cursor: LineCursor
    private(set) var warnings: [String] = []

    init(bytes: UnsafeBufferPointer<UInt8>, fileName: String) {
        self.cursor = LineCursor(bytes: bytes)
        self.fileName = fileName
    }

    /// Consumes one raw line, returning its text.
    mutating func skipLine(_ what: String) throws -> String {
        guard let line = cursor.nextLine() else { throw endOfFile(expected: what) }
        return cursor.text(line)
    }

    /// Words from as many content lines as needed to have at least `count` (LAMMPS `next_values`).
    mutating func words(atLeast count: Int, _ what: String) throws -> [Word] {
        var words: [Word] = []
        while words.isEmpty || words.count < count {
            guard let line = cursor.nextLine() else {
                if words.isEmpty { throw endOfFile(expected: what) }
                throw InputError(file: fileName, line: words[words.count - 1].line,
                                 "expected \(what) (\(count) values), found only \(words.count) before the end of the file")
            }
            words += contentWords(line)
        }
        return words
    }

    /// `count` numbers from whole lines (LAMMPS `next_dvector`).
    mutating func table(count: Int, _ what: String) throws -> [Double] {
        var values: [Double] = []
        values.reserveCapacity(min(count, 1 << 20))  // the count is user input: don't trust it for allocation
        while values.count < count {
            guard let line = cursor.nextLine() else {
                throw InputError(file: fileName, line: max(cursor.lineNumber, 1),
                                 "expected \(count) values for \(what), found only \(values.count) "
                                 + "before the end of the file")
            }
            let words = contentWords(line)
            for (index, word) in words.enumerated() {
                if values.count == count {
                    warnings.append("line \(line.number): \(words.count - index) value(s) after the end of \(what) "
                                    + "were ignored (LAMMPS ignores them too)")
                    break
                }
                values.append(try double(word, what))
            }
        }
        return values
    }

    /// Content left after the last table: LAMMPS never reads it; we only warn.
    mutating func noteTrailingContent() {
        while let line = cursor.nextLine() {
            if !contentWords(line).isEmpty {
                warnings.append("line \(line.number): content after the last table was ignored")
                return
            }
        }
    }

    func int(_ word: Word, _ what: String) throws -> Int {
        guard let value = DecimalNumber.parseInt(cursor.bytes, word.start, word.end) else {
            throw InputError(file: fileName, line: word.line, column: word.column,
                             "expected an integer for \(what), found '\(text(word))'")
        }
        return value
    }

    func double(_ word: Word, _ what: String) throws -> Double {
        guard let value = DecimalNumber.parseDouble(cursor.bytes, word.start, word.end) else {
            throw InputError(file: fileName, line: word.line, column: word.column,
                             "expected a number for \(what), found '\(text(word))'")
        }
        return value
    }

    func text(_ word: Word) -> String {
        cursor.text(word.start, word.end)
    }

    /// Words of a line up to the first `#` (LAMMPS strips comments from data lines).
    private func contentWords(_ line: LineCursor.Line) -> [Word] {
        var end = line.start
        while end < line.end, cursor.bytes[end] != UInt8(ascii: "#") { end += 1 }
        let trimmed = LineCursor.Line(start: line.start, end: end, number: line.number)
        return cursor.words(trimmed).map {
            Word(start: $0.lowerBound, end: $0.upperBound, line: line.number, column: $0.lowerBound - line.start + 1)
        }
    }

    private func endOfFile(expected what: String) -> InputError {
        InputError(file: fileName, line: max(cursor.lineNumber, 1), "expected \(what), found the end of the file")
    }
}

extension PotentialTextReader {
    /// LAMMPS reads an optional `UNITS: <style>` tag on the first line and refuses (or converts)
    /// files in other units. Crucible works in metal units only, so anything else is an error.
    static func checkMetalUnits(firstLine: String, fileName: String) throws {
        let words = firstLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard let tag = words.firstIndex(of: "UNITS:"), tag + 1 < words.count else { return }
        let units = words[tag + 1]
        if units != "metal" {
            throw InputError(file: fileName, line: 1,
                             "the potential declares UNITS: \(units); Crucible uses metal units (eV, Å), "
                             + "so convert the file to metal units first")
        }
    }
}
