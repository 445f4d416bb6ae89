/// Turns a raw comment-line value into a typed `XYZValue` the way ASE does:
/// split at whitespace and commas; all integers → int(s); else all reals → double(s);
/// else all of T/F/True/False/true/false/TRUE/FALSE → bool(s); else the string unchanged.
/// One item gives a scalar, several an array. The key `uid` is never converted (ASE's rule).
enum CommentValueTyping {
    static func typedValue(key: String, raw: String) -> XYZValue {
        if key.lowercased() == "uid" { return .string(raw) }
        let items = splitItems(raw)

        let ints = items.compactMap(DecimalNumber.parseInt)
        if ints.count == items.count {
            return ints.count == 1 ? .int(ints[0]) : .intArray(ints)
        }
        let doubles = items.compactMap { DecimalNumber.parseDouble($0, allowNonFinite: true) }
        if doubles.count == items.count {
            return doubles.count == 1 ? .double(doubles[0]) : .doubleArray(doubles)
        }
        let bools = items.compactMap(parseBool)
        if bools.count == items.count {
            return bools.count == 1 ? .bool(bools[0]) : .boolArray(bools)
        }
        return .string(raw)
    }

    /// ASE's `re.findall(r'[^\s,]+', value)`.
    static func splitItems(_ raw: String) -> [String] {
        var items: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            if scalar == "," || scalar.properties.isWhitespace {
                if !current.isEmpty { items.append(String(current)); current = String.UnicodeScalarView() }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { items.append(String(current)) }
        return items
    }

    /// The boolean spellings ASE accepts on the comment line.
    static func parseBool(_ item: String) -> Bool? {
        switch item {
        case "T", "True", "true", "TRUE": return true
        case "F", "False", "false", "FALSE": return false
        default: return nil
        }
    }
}
