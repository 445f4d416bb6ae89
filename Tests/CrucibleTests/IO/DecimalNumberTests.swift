import CrucibleCore
import Testing
@testable import CrucibleIO

@Suite("Decimal number parsing")
struct DecimalNumberTests {
    @Test("accepts LAMMPS's number grammar", arguments: [
        ("0.", 0.0), (".5", 0.5), ("-3", -3.0), ("+2.5e3", 2500.0), ("5.00000000000000E-0002", 0.05),
        ("1e400", .infinity), ("-0.0", -0.0), ("000123.4500", 123.45), ("1E+2", 100.0),
        // Slow path (more than 15 significant digits or a large exponent):
        ("1e-400", 0.0), ("12345678901234567890.", 1.2345678901234567e19), (".12345678901234567890", 0.12345678901234568),
        ("4.9406564584124654e-324", 5e-324), ("1.7976931348623157e308", 1.7976931348623157e308),
    ])
    func accepts(text: String, expected: Double) {
        #expect(DecimalNumber.parseDouble(text) == expected)
    }

    @Test("rejects what LAMMPS rejects", arguments: [
        "", ".", "-", "e5", "1e", "1e+", "1.0d0", "0x1p3", "1..2", "1.2.3", "nan", "inf", "1,5", " 1", "1 ",
    ])
    func rejects(text: String) {
        #expect(DecimalNumber.parseDouble(text) == nil)
    }

    @Test func nonFiniteOnlyWhenAllowed() {
        #expect(DecimalNumber.parseDouble("-Infinity", allowNonFinite: true) == -.infinity)
        #expect(DecimalNumber.parseDouble("NaN", allowNonFinite: true)?.isNaN == true)
        #expect(DecimalNumber.parseDouble("nanx", allowNonFinite: true) == nil)
    }

    @Test("is correctly rounded: agrees bit for bit with the standard library")
    func correctlyRounded() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &generator)
            let value = Double(bitPattern: bits)
            guard value.isFinite else { continue }
            for text in [value.description, String(longDigits: value), "\(Int.random(in: -99_999...99_999)).\(Int.random(in: 0...9_999_999))"] {
                #expect(DecimalNumber.parseDouble(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
            }
        }
    }

    @Test func integers() {
        #expect(DecimalNumber.parseInt("+42") == 42)
        #expect(DecimalNumber.parseInt("-9223372036854775808") == Int.min)
        #expect(DecimalNumber.parseInt("9223372036854775808") == nil)
        #expect(DecimalNumber.parseInt("4.0") == nil)
        #expect(DecimalNumber.parseInt("") == nil)
        #expect(DecimalNumber.parseInt("-") == nil)
    }
}

extension String {
    /// The shortest representation with extra digits appended, so that it needs more than
    /// 15 significant digits and exercises the slow (standard library) path.
    init(longDigits value: Double) {
        let d = value.description
        self = d.contains("e") ? d : (d.contains(".") ? d + "000001" : d)
    }
}
