/// Reads numbers as decks write them: plain decimals like 3, -2.5, .5, 1e-6.
/// Hex, octal and YAML 1.1's sexagesimal forms are refused on purpose: in a physics
/// deck `0755` or `1:30` is far more likely a typo than a wish.
enum NumberText {
    enum IntegerReading: Equatable {
        case value(Int)
        case tooLarge
        case fractional
        case notNumber
    }

    /// True for the spellings YAML uses for infinity and not-a-number.
    static func isNonFinite(_ text: String) -> Bool {
        let lowered = text.lowercased()
        let bare = lowered.hasPrefix("+") || lowered.hasPrefix("-") ? String(lowered.dropFirst()) : lowered
        return [".inf", "inf", "infinity", ".nan", "nan"].contains(bare)
    }

    static func isDecimal(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
        var mantissaDigits = digits()
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// The value of a decimal, or nil when the text is not one. Overflow gives ±infinity.
    static func real(_ text: String) -> Double? {
        guard isDecimal(text) else { return nil }
        return Double(text)
    }

    /// Integers may be written as `1000` or, when exact, `1e3`.
    static func integer(_ text: String) -> IntegerReading {
        guard isDecimal(text) else { return .notNumber }
        let isPlainInteger = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if isPlainInteger {
            if let value = Int(text) { return .value(value) }
            return .tooLarge
        }
        guard let value = Double(text) else { return .notNumber }
        guard value.isFinite else { return .tooLarge }
        guard value == value.rounded() else { return .fractional }
        // Beyond 2^53 a double no longer names one integer.
        guard abs(value) <= 9_007_199_254_740_992 else { return .tooLarge }
        return .value(Int(value))
    }

    /// Whole numbers print without a trailing ".0" so messages read like the deck.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int(value))
        }
        return String(value)
    }
}
