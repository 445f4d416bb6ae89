/// Splits an extended-XYZ comment line into (key, raw value) pairs with the same rules as ASE's
/// `key_val_str_to_dict`, so that any line ASE accepts is read the same way here:
/// - values (and keys) may be wrapped in "…", '…', {…} or […]; inside, everything is literal;
/// - a backslash makes the next character literal (`\"` inside quotes);
/// - spaces around `=` are allowed; a key without `=` means `T` (true);
/// - further unquoted `=` signs stay part of the value (`a=b=c` gives a → "b=c").
enum CommentLineTokenizer {
    struct Pair: Equatable {
        var key: String
        var value: String
    }

    static func pairs(in line: String) -> [Pair] {
        // Each entry is a list of parts: [key, value, more value parts split at '='].
        var entries: [[String]] = [[""]]
        var closing: Unicode.Scalar? = nil
        var escaped = false

        func appendToCurrentPart(_ scalar: Unicode.Scalar) {
            entries[entries.count - 1][entries[entries.count - 1].count - 1].unicodeScalars.append(scalar)
        }

        for scalar in line.trimmingSpaces.unicodeScalars {
            if escaped {
                appendToCurrentPart(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if let close = closing {
                if scalar == close { closing = nil } else { appendToCurrentPart(scalar) }
            } else if let close = closingDelimiter(for: scalar) {
                closing = close
            } else if scalar.properties.isWhitespace {
                // Separator: start a new entry unless the current part is still empty
                // (which is what lets "key= value" and "key =value" work).
                let currentPart = entries[entries.count - 1][entries[entries.count - 1].count - 1]
                if currentPart.isEmpty { continue }
                entries.append([""])
            } else if scalar == "=" {
                // "key =value": the fresh empty entry opened by the space is dropped, and the value
                // attaches to the previous key.
                if entries.count > 1, entries[entries.count - 1] == [""] { entries.removeLast() }
                entries[entries.count - 1].append("")
            } else {
                appendToCurrentPart(scalar)
            }
        }

        var result: [Pair] = []
        for entry in entries {
            guard let key = entry.first, !key.isEmpty else { continue }
            let value = entry.count == 1 ? "T" : entry.dropFirst().joined(separator: "=")
            result.append(Pair(key: key, value: value))
        }
        return result
    }

    private static func closingDelimiter(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar {
        case "\"": return "\""
        case "'": return "'"
        case "{": return "}"
        case "[": return "]"
        default: return nil
        }
    }
}

extension String {
    /// The string without leading and trailing Unicode whitespace (Python's str.strip()).
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
