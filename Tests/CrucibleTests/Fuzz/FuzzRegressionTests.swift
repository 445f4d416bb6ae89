import CrucibleCore
import Foundation
import Testing
@testable import CrucibleIO

/// The inputs in Fuzz/Corpus/ that crashed, hung or misplaced an error, each read through its reader
/// and expected to fail with an InputError at a given line, with a given message.
@Suite struct FuzzRegressionTests {
    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: FuzzTests.corpusFolder + "/" + name, encoding: .utf8)
    }

    /// Was: `reserveCapacity(columns × atomCount)` trusted the atom count (2147483647): 51 GB, crash.
    @Test func extXYZHugeAtomCount() throws {
        let name = "extxyz-atom-count-2147483647.xyz"
        let e = try #require(capturedInputError { _ = try readExtXYZ(text: try Self.text(name), fileName: name) })
        #expect(e.file == name && e.line == 3)
        #expect(e.message.contains("expected 4 fields"))
    }

    /// Was: a Properties column count of 10^14 laid out 10^14 fields before reading a line (memory),
    /// and summing such counts overflowed.
    @Test func extXYZHugeColumnCount() throws {
        let name = "extxyz-column-count-1e14.xyz"
        let e = try #require(capturedInputError { _ = try readExtXYZ(text: try Self.text(name), fileName: name) })
        #expect(e.file == name && e.line == 3)
        #expect(e.message.contains("expected 100000000000003 fields"))
        let sum = try #require(capturedInputError {
            _ = try readExtXYZ(text: "1\nProperties=species:S:1:pos:R:3:a:R:9223372036854775807:b:R:9\nCu 0 0 0 1\n", fileName: "s.xyz")
        })
        #expect(sum.line == 3)
    }

    /// Found by libFuzzer in a first version of the fix above, which laid out only as many fields as
    /// half the rest of the file could hold: a 1-byte atom line then filled the cut-short layout and
    /// the frame came without positions (Configuration's precondition trapped).
    @Test func extXYZOneByteAtomLine() throws {
        let name = "extxyz-one-byte-atom-line.xyz"
        let e = try #require(capturedInputError { _ = try readExtXYZ(text: try Self.text(name), fileName: name) })
        #expect(e.file == name && e.line == 3)
        #expect(e.message.contains("expected 4 fields") && e.message.contains("found 1"))
    }

    /// Was: drho = DBL_MAX made (nrho−1)·drho infinite and funcfl mixing converted inf/drho to Int
    /// (trap in debug, a hang in release).
    @Test func funcflGridOverflow() throws {
        let name = "funcfl-drho-max-double.eam"
        let e = try #require(capturedInputError { _ = try FuncflFile(text: try Self.text(name), fileName: name) })
        #expect(e.file == name && e.line == 3 && e.column == 3)
        #expect(e.message.contains("(nrho-1)*drho is too large"))
        var lines = try IOTestResources.text("Cu_u3.eam").components(separatedBy: "\n")
        lines[2] = "500 0.01 500 1e307 4.9"
        let dr = try #require(capturedInputError { _ = try FuncflFile(text: lines.joined(separator: "\n"), fileName: "x.eam") })
        #expect(dr.line == 3 && dr.column == 14 && dr.message.contains("(nr-1)*dr"))
    }

    /// Was: `words.count == count + 1` overflowed for N = Int.max (trap in debug).
    @Test func setflElementCountIntMax() throws {
        let name = "setfl-element-count-int-max.eam.alloy"
        let e = try #require(capturedInputError {
            _ = try SetflFile(text: try Self.text(name), fileName: name, variant: .alloy)
        })
        #expect(e.file == name && e.line == 4)
        #expect(e.message.contains("declares 9223372036854775807 element(s) but lists 1"))
    }

    /// Was: composition counts matched against 2^63−1 sites, then Int(2^63) trapped.
    @Test func deckCompositionCountIntMax() throws {
        let name = "deck-composition-count-int-max.yaml"
        let errors = DeckFixtures.errors(try Self.text(name))
        #expect(errors.contains { $0.line == 2 && $0.key == "system.lattice.repeat" && $0.message.contains("more than the 2147483647") })
        let ok = DeckFixtures.errors("system:\n  lattice: {kind: sc, a: 3, repeat: [1024, 1024, 2047], species: Cu}\n")
        #expect(!ok.contains { $0.key == "system.lattice.repeat" })
    }

    /// Was: an error at the end of the input was placed on the line after the final line break.
    @Test func deckErrorAtEndOfFile() throws {
        let errors = DeckFixtures.errors(try Self.text("deck-error-at-end-of-file.yaml"))
        let e = try #require(errors.first)
        #expect(e.line == 2 && e.column == 14, "\(e)")
        #expect(e.message.contains("while parsing a flow mapping"))
        let noFinalBreak = try #require(DeckFixtures.errors("seed: 1\nmd: {steps: 1").first)
        #expect(noFinalBreak.line == 2)
    }
}
