#if canImport(CrucibleCore)
import CrucibleCore
#endif

/// Reads every frame of an extended XYZ file (ASE's dialect; plain XYZ too).
public func readExtXYZ(path: String) throws -> [XYZFrame] {
    let bytes = try FileBytes.read(path: path)
    return try ExtXYZReader.frames(in: bytes, fileName: path)
}

/// Same as `readExtXYZ(path:)` for text already in memory; `fileName` is used in error messages.
public func readExtXYZ(text: String, fileName: String) throws -> [XYZFrame] {
    try ExtXYZReader.frames(in: Array(text.utf8), fileName: fileName)
}

enum ExtXYZReader {
    static func frames(in bytes: [UInt8], fileName: String) throws -> [XYZFrame] {
        try bytes.withUnsafeBufferPointer { buffer in
            var cursor = LineCursor(bytes: buffer)
            var frames: [XYZFrame] = []
            while let countLine = cursor.nextLine() {
                if cursor.isBlank(countLine) {
                    // ASE stops at the first blank line; trailing blank lines are fine, but
                    // anything after one would be silently dropped, so say so instead.
                    try ensureOnlyBlankLinesRemain(&cursor, after: countLine, fileName: fileName)
                    break
                }
                frames.append(try frame(&cursor, countLine: countLine, fileName: fileName))
            }
            return frames
        }
    }

    private static func frame(_ cursor: inout LineCursor, countLine: LineCursor.Line,
                              fileName: String) throws -> XYZFrame {
        let words = cursor.words(countLine)
        guard words.count == 1, let first = words.first,
              let atomCount = DecimalNumber.parseInt(cursor.bytes, first.lowerBound, first.upperBound),
              atomCount >= 0
        else {
            throw InputError(file: fileName, line: countLine.number,
                             "expected the number of atoms of a frame (a non-negative integer), "
                             + "found '\(cursor.text(countLine).trimmingSpaces)'")
        }
        guard let commentLine = cursor.nextLine() else {
            throw InputError(file: fileName, line: countLine.number,
                             "expected a comment line after the atom count \(atomCount), found the end of the file")
        }
        let header = try FrameHeader(commentLine: cursor.text(commentLine), file: fileName, line: commentLine.number)
        let parsed = try AtomLinesParser(spec: header.properties, file: fileName)
            .parse(&cursor, atomCount: atomCount, frameStartLine: countLine.number)
        return XYZFrame(cell: header.cell, pbc: header.pbc, symbols: parsed.symbols,
                        positions: parsed.positions, info: header.info, arrays: parsed.arrays)
    }

    private static func ensureOnlyBlankLinesRemain(_ cursor: inout LineCursor, after blank: LineCursor.Line,
                                                   fileName: String) throws {
        while let line = cursor.nextLine() {
            if !cursor.isBlank(line) {
                throw InputError(file: fileName, line: blank.number,
                                 "blank line where the atom count of the next frame was expected "
                                 + "(more data follows at line \(line.number))")
            }
        }
    }
}
