import Foundation

/// SplitMix64, seeded per input: input k of a target is fully determined by (run seed, target, k),
/// so any input a long run reports can be rebuilt without having stored it.
struct FuzzRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The generator of one input: mixes the run seed, the target's name and the input's index.
    init(runSeed: UInt64, target: String, index: Int) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the name
        for byte in target.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        state = runSeed ^ hash ^ (UInt64(truncatingIfNeeded: index) &* 0xD6E8_FEB8_6659_FD93)
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}

/// Byte-, token- and line-level mutations of a text file. Works on bytes so that NUL, invalid UTF-8
/// and CR survive to the reader exactly as a corrupted file would hold them.
enum FuzzMutator {
    /// Values that break parsers: non-finite and extreme numbers, signed zero, counts at the edge of
    /// Int32 and Int64, nothing, very long tokens, Unicode look-alikes, control characters, and
    /// characters that mean something to YAML or extended XYZ.
    static let nastyTokens: [String] = [
        "NaN", "nan", "-nan", "inf", "-inf", "Infinity", "-Infinity", ".nan", ".inf", "-.inf",
        "-0", "-0.0", "+0", "0", "0.0", "1", "2", "3", "4", "5", "-1", "-2", "-4",
        "1e308", "-1e308", "1.7976931348623157e308", "1e309", "1e999", "-1e999", "4.9e-324", "1e-320", "1e-308",
        "2147483647", "2147483648", "-2147483649", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "100000000", "1000000000000", "1e6", "1e12",
        "0x10", "1.0D+00", "1e", "--1", "1.2.3", "+", "-", ".", "e5", "1_000",
        "", " ", "\t", "\r", "\r\n", "\u{0}", "\u{0}\u{0}\u{0}", "\u{7F}", "\u{1B}[0m",
        "é", "Ｃｕ", "😀", "\u{202E}", "\u{FEFF}", "\u{2028}", "\u{85}", "\u{FFFD}", "\u{E000}",
        "#", "=", ":", "\"", "'", "\\", "{", "}", "[", "]", ",", "&a", "*a", "!!str", "---", "...", "~", "null", "? ",
        "|", ">-", "<<: *a", "T", "F", "True", "Cu", "Xx", "Properties=species:S:1:pos:R:3",
        "Lattice=\"0 0 0 0 0 0 0 0 0\"", "pbc=\"T T\"", "species:S:0", "pos:R:2",
    ]

    static func longToken(_ rng: inout FuzzRandom) -> String {
        let length = [300, 5_000, 70_000][rng.below(3)]
        switch rng.below(4) {
        case 0: return String(repeating: "9", count: length)
        case 1: return "0." + String(repeating: "0", count: length) + "1"
        case 2: return String(repeating: "a", count: length)
        default: return "1e" + String(repeating: "9", count: min(length, 400))
        }
    }

    static func nasty(_ rng: inout FuzzRandom) -> [UInt8] {
        rng.chance(0.05) ? Array(longToken(&rng).utf8) : Array(nastyTokens[rng.below(nastyTokens.count)].utf8)
    }

    /// 1 to 4 mutations chosen at random.
    static func mutate(_ seed: [UInt8], _ rng: inout FuzzRandom) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(1 + rng.below(4)) { bytes = mutateOnce(bytes, &rng) }
        return bytes
    }

    static func mutateOnce(_ input: [UInt8], _ rng: inout FuzzRandom) -> [UInt8] {
        var bytes = input
        switch rng.below(16) {
        case 0 where !bytes.isEmpty:  // flip one bit
            let i = rng.below(bytes.count)
            bytes[i] ^= UInt8(1) << UInt8(rng.below(8))
        case 1 where !bytes.isEmpty:  // random bytes
            for _ in 0..<(1 + rng.below(4)) { bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
        case 2, 3, 4:  // replace a token (biased to the header lines) with a nasty value
            if let range = pickToken(bytes, &rng) { bytes.replaceSubrange(range, with: nasty(&rng)) }
        case 5:  // a number token nudged: counts off by one, scaled, negated
            if let range = pickToken(bytes, &rng) { bytes.replaceSubrange(range, with: nudged(Array(bytes[range]), &rng)) }
        case 6:  // delete a token
            if let range = pickToken(bytes, &rng) { bytes.removeSubrange(range) }
        case 7:  // duplicate a token
            if let range = pickToken(bytes, &rng) { bytes.insert(contentsOf: Array(bytes[range]) + [0x20], at: range.lowerBound) }
        case 8:  // delete a line
            var lines = splitLines(bytes)
            if !lines.isEmpty { lines.remove(at: pickLine(lines.count, &rng)) }
            bytes = joinLines(lines)
        case 9:  // duplicate a line
            var lines = splitLines(bytes)
            if !lines.isEmpty { lines.insert(lines[pickLine(lines.count, &rng)], at: pickLine(lines.count + 1, &rng)) }
            bytes = joinLines(lines)
        case 10:  // swap two lines
            var lines = splitLines(bytes)
            if lines.count > 1 { lines.swapAt(pickLine(lines.count, &rng), pickLine(lines.count, &rng)) }
            bytes = joinLines(lines)
        case 11:  // join a line with the next
            let newlines = bytes.indices.filter { bytes[$0] == 0x0A }
            if !newlines.isEmpty {
                let i = newlines[min(pickLine(newlines.count, &rng), newlines.count - 1)]
                bytes.replaceSubrange(i...i, with: rng.chance(0.5) ? [] : [0x20])
            }
        case 12:  // truncate: at a k/50 boundary or anywhere
            let cut = rng.chance(0.5) ? bytes.count * rng.below(50) / 50 : rng.below(bytes.count + 1)
            bytes.removeSubrange(cut...)
        case 13:  // replace a whole line with a nasty value
            var lines = splitLines(bytes)
            if !lines.isEmpty { lines[pickLine(lines.count, &rng)] = nasty(&rng) }
            bytes = joinLines(lines)
        case 14 where !bytes.isEmpty:  // splice: copy a chunk of the file elsewhere
            let start = rng.below(bytes.count)
            let length = min(bytes.count - start, 1 + rng.below(200))
            bytes.insert(contentsOf: Array(bytes[start..<(start + length)]), at: rng.below(bytes.count + 1))
        default:  // insert a nasty value anywhere
            bytes.insert(contentsOf: nasty(&rng), at: rng.below(bytes.count + 1))
        }
        return bytes
    }

    /// A whitespace-delimited token; half the time one of the first few lines (where the counts,
    /// grids and keys of all three formats live), else anywhere.
    static func pickToken(_ bytes: [UInt8], _ rng: inout FuzzRandom) -> Range<Int>? {
        guard !bytes.isEmpty else { return nil }
        var limit = bytes.count
        if rng.chance(0.5) {
            var lines = 0
            let wanted = 1 + rng.below(12)
            for (i, b) in bytes.enumerated() where b == 0x0A {
                lines += 1
                if lines == wanted { limit = i + 1; break }
            }
        }
        var start = rng.below(limit)
        for _ in 0..<64 where isSpace(bytes[start]) { start = rng.below(limit) }
        guard !isSpace(bytes[start]) else { return nil }
        while start > 0, !isSpace(bytes[start - 1]) { start -= 1 }
        var end = start
        while end < bytes.count, !isSpace(bytes[end]) { end += 1 }
        return start..<end
    }

    static func nudged(_ token: [UInt8], _ rng: inout FuzzRandom) -> [UInt8] {
        let text = String(decoding: token, as: UTF8.self)
        if let value = Int(text) {
            let choices = [value &+ 1, value &- 1, value &* 10, 0 &- value, value &* 1000, 0, value / 2]
            return Array(String(choices[rng.below(choices.count)]).utf8)
        }
        if let value = Double(text) {
            let choices = [value * 10, -value, value / 1e6, value * 1e6, 0, value + 1, value.nextUp]
            return Array(String(choices[rng.below(choices.count)]).utf8)
        }
        return token
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func pickLine(_ count: Int, _ rng: inout FuzzRandom) -> Int {
        rng.chance(0.5) ? rng.below(min(count, 12)) : rng.below(count)
    }

    static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    }

    static func joinLines(_ lines: [[UInt8]]) -> [UInt8] {
        Array(lines.joined(separator: [0x0A]))
    }
}
