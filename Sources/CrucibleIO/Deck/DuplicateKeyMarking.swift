/// Yams refuses a map with a repeated key and names only the first copy, with no key path.
/// To report every duplicate where it is, with its path, we overwrite the first character of that
/// first copy with a private-use character (one scalar for one: no position moves), remember its
/// real name by position, and parse again. MapReader then reports the later copies as duplicates.
enum DuplicateKeyMarking {
    /// Private-use scalars never appear in real decks; each pass uses its own so markers stay distinct.
    static func marker(forPass pass: Int) -> Unicode.Scalar? {
        Unicode.Scalar(0xE000 + UInt32(pass % 6_000))
    }

    /// The text with the key at `position` marked, or nil when the key's spelling in the text
    /// does not match its name (escapes, multi-line keys): then we give up renaming.
    static func mark(key: String, at position: SourcePosition, in text: String, with marker: Unicode.Scalar) -> String? {
        let keyScalars = Array(key.unicodeScalars)
        guard !keyScalars.isEmpty else { return nil }
        var scalars = Array(text.unicodeScalars)
        guard var index = offset(of: position, in: scalars) else { return nil }
        if index < scalars.count, scalars[index] == "\"" || scalars[index] == "'" {
            index += 1
        }
        guard index + keyScalars.count <= scalars.count,
              Array(scalars[index..<(index + keyScalars.count)]) == keyScalars else { return nil }
        scalars[index] = marker
        var marked = ""
        marked.unicodeScalars.append(contentsOf: scalars)
        return marked
    }

    /// Scalar offset of a libyaml line/column.
    private static func offset(of position: SourcePosition, in scalars: [Unicode.Scalar]) -> Int? {
        var index = 0
        var line = 1
        while line < position.line {
            guard index < scalars.count else { return nil }
            let scalar = scalars[index]
            index += 1
            if TextLines.isBreak(scalar) {
                if scalar == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
                line += 1
            }
        }
        let target = index + position.column - 1
        // The column must stay on its line.
        for probe in index..<min(target, scalars.count) where TextLines.isBreak(scalars[probe]) {
            return nil
        }
        return target < scalars.count ? target : nil
    }
}
