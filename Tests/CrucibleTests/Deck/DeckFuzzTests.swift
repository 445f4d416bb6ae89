import CrucibleCore
import CrucibleIO
import Foundation
import Testing

/// SplitMix64: a tiny seeded generator so every fuzz run mutates the same way.
struct DeckFuzzGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutates valid decks thousands of times: the checker must never crash, and every error must have a line.
@Suite struct DeckFuzzTests {
    static let seeds = [
        """
        title: fuzz
        seed: 5
        system:
          lattice: {kind: fcc, a: 3.6, repeat: [3, 3, 3], composition: {Cu: 0.5, Ni: 0.5}}
          masses: {Cu: 63.546}
          velocities: {temperature: 300}
        potential:
          - eam: {files: [Cu_u3.eam, Ni_u3.eam]}
          - lj:
              cutoff: 6
              pairs:
                - {species: [Cu, Ni], epsilon: 0.01, sigma: 2.5}
        md:
          steps: 100
          thermostat:
            langevin: {temperature: 300, damping: 0.1}
          barostat: {coupling: anisotropic, axes: [z]}
        output:
          thermo: {every: 10, columns: [step, temperature]}
          trajectory: {file: traj.h5md, fields: [position]}
        """,
        """
        system:
          structure: {file: start.xyz, frame: -1}
        potential:
          eam: {file: CuNi.eam.alloy}
        minimize:
          max_force: 1e-4
          cell: {pressure: 0, coupling: isotropic}
        output: {final_structure: final.xyz}
        """,
        """
        system:
          lattice:
            kind: hcp
            a: 3.2
            repeat: [2, 2, 2]
            species: Ar
        potential:
          lj: {cutoff: 8, shift: true, pairs: [{species: [Ar, Ar], epsilon: 0.0104, sigma: 3.4}]}
        neighbor: {skin: 0.3}
        single_point: {}
        """,
    ]

    /// Characters that matter to YAML or to text decoding, plus a few ordinary ones.
    static let alphabet: [Character] = Array(":{}[],-#&*!|>'\"?%@` \t\n\r0123456789.eE+-_axyzCuNi~") +
        ["\u{0}", "\u{7}", "\u{85}", "\u{FEFF}", "\u{2028}", "ä", "é", "😀", "\u{E000}"]
    static let pieces = ["steps: 10", "md:", "  - ", "{", "}", "[", "]", ": ", "&a ", "*a", "!!str ", "---", "...",
                         ".inf", ".nan", "-1", "1e999", "99999999999999999999", "null", "~", "''", "\"\\u0000\"",
                         "    ", "? ", "<<: *a", "|", ">-"]

    static func mutate(_ text: String, _ rng: inout DeckFuzzGenerator) -> String {
        var characters = Array(text)
        var lines = text.components(separatedBy: "\n")
        switch Int.random(in: 0..<9, using: &rng) {
        case 0 where !characters.isEmpty:
            characters.remove(at: Int.random(in: 0..<characters.count, using: &rng))
        case 1 where !characters.isEmpty:
            let index = Int.random(in: 0..<characters.count, using: &rng)
            characters.insert(characters[index], at: index)
        case 2 where !characters.isEmpty:
            characters[Int.random(in: 0..<characters.count, using: &rng)] = alphabet.randomElement(using: &rng)!
        case 3:
            characters.insert(contentsOf: pieces.randomElement(using: &rng)!, at: Int.random(in: 0...characters.count, using: &rng))
        case 4 where !lines.isEmpty:
            lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
            return lines.joined(separator: "\n")
        case 5 where !lines.isEmpty:
            let index = Int.random(in: 0..<lines.count, using: &rng)
            lines.insert(lines[index], at: Int.random(in: 0...lines.count, using: &rng))
            return lines.joined(separator: "\n")
        case 6 where lines.count > 1:
            lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
            return lines.joined(separator: "\n")
        case 7:
            return String(characters.prefix(Int.random(in: 0...characters.count, using: &rng)))
        default:
            guard !lines.isEmpty else { break }
            let index = Int.random(in: 0..<lines.count, using: &rng)
            lines[index] = String(repeating: " ", count: Int.random(in: 0...6, using: &rng))
                + lines[index].drop { $0 == " " }
            return lines.joined(separator: "\n")
        }
        return String(characters)
    }

    func check(_ text: String) {
        do {
            _ = try DeckFixtures.decode(text)
        } catch let errors as DeckErrors {
            #expect(!errors.errors.isEmpty, "no errors thrown for:\n\(text)")
            for error in errors.errors {
                #expect((error.line ?? 0) >= 1, "no line in \(error) for:\n\(text)")
                #expect(!error.message.isEmpty)
            }
        } catch {
            Issue.record("unexpected error type \(error) for:\n\(text)")
        }
    }

    @Test func mutatedDecksNeverCrashAndAlwaysPlaceTheirErrors() {
        for seed in Self.seeds {
            #expect((try? DeckFixtures.decode(seed)) != nil, "a fuzz seed deck must be valid:\n\(DeckFixtures.errors(seed))")
        }
        var rng = DeckFuzzGenerator(state: 20_261_125)
        for _ in 0..<4_000 {
            var text = Self.seeds.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                text = Self.mutate(text, &rng)
            }
            check(text)
        }
    }

    @Test func randomBytesThroughLoadDeck() throws {
        var rng = DeckFuzzGenerator(state: 7)
        let path = DeckFixtures.folder + "/random.yaml"
        for round in 0..<300 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if round % 10 == 0 {
                bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try loadDeck(path: path)
            } catch let errors as DeckErrors {
                #expect(errors.errors.allSatisfy { ($0.line ?? 0) >= 1 })
            }
        }
    }
}
