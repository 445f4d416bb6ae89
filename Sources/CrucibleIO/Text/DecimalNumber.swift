/// Number parsing straight from bytes, shared by the structure and potential readers.
/// Why bytes: making a String per token (or using Foundation's Scanner) is the bottleneck
/// when reading million-atom frames; here the common case never allocates.
enum DecimalNumber {
    /// Parses `bytes[start..<end]` as a decimal floating-point number with the grammar
    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` — exactly what LAMMPS's
    /// `utils::is_double` accepts, and a subset of what Python's `float` accepts.
    /// With `allowNonFinite`, Python's spellings `inf`, `infinity` and `nan` (any case, signed)
    /// are accepted too, as ASE reads them. Returns nil for anything else.
    /// The result is correctly rounded (as `strtod`), so it is bit-identical to what
    /// LAMMPS and Python obtain from the same text.
    static func parseDouble(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, allowNonFinite: Bool = false
    ) -> Double? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var sawDigit = false
        var decimalExponent = 0
        // Integer part.
        while i < end, let digit = digitValue(bytes[i]) {
            sawDigit = true
            if mantissa != 0 || digit != 0 {
                significantDigits += 1
                if significantDigits <= 19 { mantissa = mantissa &* 10 &+ UInt64(digit) } else { decimalExponent += 1 }
            }
            i += 1
        }
        // Fraction part.
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, let digit = digitValue(bytes[i]) {
                sawDigit = true
                if mantissa != 0 || digit != 0 {
                    significantDigits += 1
                    if significantDigits <= 19 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        decimalExponent -= 1
                    }
                } else {
                    decimalExponent -= 1
                }
                i += 1
            }
        }
        guard sawDigit else {
            return allowNonFinite ? parseNonFinite(bytes, start, end) : nil
        }
        // Exponent part.
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponent = 0
            var sawExponentDigit = false
            while i < end, let digit = digitValue(bytes[i]) {
                sawExponentDigit = true
                if exponent < 100_000 { exponent = exponent * 10 + digit }  // saturate: beyond is inf or 0 anyway
                i += 1
            }
            guard sawExponentDigit else { return nil }
            decimalExponent += exponentNegative ? -exponent : exponent
        }
        guard i == end else { return nil }

        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        // Clinger's fast path: both the mantissa (< 2^53) and 10^|e| (e <= 22) are exact doubles,
        // so one IEEE multiply or divide gives the correctly rounded result.
        if significantDigits <= 15, decimalExponent >= -22, decimalExponent <= 22 {
            let m = Double(mantissa)
            let value = decimalExponent < 0
                ? m / exactPowersOfTen[-decimalExponent]
                : m * exactPowersOfTen[decimalExponent]
            return negative ? -value : value
        }
        // Rare (long or extreme numbers): let the standard library's correctly rounded parser do it.
        return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }

    /// Parses `bytes[start..<end]` as `[+-]? digits` (LAMMPS's `utils::is_integer`, Python's `int`
    /// without underscores). Nil when malformed or out of range for `Int`.
    static func parseInt(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < end else { return nil }
        // Accumulate negatively so that Int.min parses without overflow.
        var value = 0
        while i < end {
            guard let digit = digitValue(bytes[i]) else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.subtractingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
            i += 1
        }
        if negative { return value }
        return value == Int.min ? nil : -value
    }

    /// Convenience for tests and small strings.
    static func parseDouble(_ text: String, allowNonFinite: Bool = false) -> Double? {
        var copy = text
        return copy.withUTF8 { parseDouble($0, 0, $0.count, allowNonFinite: allowNonFinite) }
    }

    static func parseInt(_ text: String) -> Int? {
        var copy = text
        return copy.withUTF8 { parseInt($0, 0, $0.count) }
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte &- UInt8(ascii: "0")) : nil
    }

    /// Python's float() also reads inf / infinity / nan, in any case, optionally signed.
    private static func parseNonFinite(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self).lowercased()
        switch word {
        case "inf", "infinity": return negative ? -Double.infinity : Double.infinity
        case "nan": return Double.nan
        default: return nil
        }
    }

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
