/// Line arithmetic on deck text that agrees with libyaml's idea of a line break.
enum TextLines {
    /// libyaml breaks lines at LF, CR, CRLF, NEL, LS and PS.
    static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// Splits text into lines of Unicode scalars, treating CRLF as one break.
    static func lines(of text: String) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = [[]]
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            if isBreak(scalar) {
                lines.append([])
            } else {
                lines[lines.count - 1].append(scalar)
            }
        }
        return lines
    }

    /// Position of the character at `offset` (counted in Characters, as Yams reports reader errors).
    static func position(ofCharacterOffset offset: Int, in text: String) -> SourcePosition {
        var line = 1
        var column = 1
        var index = 0
        var previousWasCR = false
        for character in text {
            if index >= offset { break }
            index += 1
            // A Character may hold "\r\n" as one grapheme.
            if character.unicodeScalars.contains(where: isBreak) {
                let isLF = character == "\n"
                if !(isLF && previousWasCR) { line += 1 }
                column = 1
                previousWasCR = character == "\r"
            } else {
                column += character.unicodeScalars.count
                previousWasCR = false
            }
        }
        return SourcePosition(line: line, column: column)
    }

    /// Position of byte `offset` in raw bytes that failed to decode as UTF-8.
    static func position(ofByteOffset offset: Int, in bytes: [UInt8]) -> SourcePosition {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return SourcePosition(line: line, column: offset - lineStart + 1)
    }
}
