import CrucibleCore
import Foundation
import Testing
@testable import CrucibleIO

@Suite("Extended XYZ writer")
struct ExtXYZWriterTests {
    static func sampleFrame() -> XYZFrame {
        XYZFrame(
            cell: [3.615, 0, 0, 0.1, 3.615, 0, 0, 0.2, 7.23],
            pbc: [true, true, false],
            symbols: ["Cu", "Ni", "H"],
            positions: [0, 0, 0, 1.8075, 1.8075, 1e-17, 0.1 + 0.2, -2.5e-300, 1.0 / 3.0],
            info: [
                "energy": .double(-10.123456789012345),
                "stress": .doubleArray([1e-3, 2, 3, 2, 5, 6, 3, 6, 9.5]),
                "step": .int(42),
                "converged": .bool(true),
                "comment": .string(#"a "quoted" \ value=1"#),
                "ids": .intArray([1, -2, 3]),
                "flags": .boolArray([true, false]),
                "weird key": .double(.infinity),
            ],
            arrays: [
                "forces": .doubles([1, 2, 3, 4, 5, 6, 7, 8, -9.000000000000002], columns: 3),
                "energies": .doubles([-1, -2, -3], columns: 1),
                "tags": .ints([1, 2, 3], columns: 1),
                "fixed": .bools([true, false, true, false, false, false, true, true, true], columns: 3),
                "site": .strings(["a", "b", "c"], columns: 1),
            ])
    }

    @Test("write then read gives back exactly the same frames")
    func roundTrip() throws {
        let frames = [Self.sampleFrame(), XYZFrame(symbols: ["Ar"], positions: [1, 2, 3]), XYZFrame()]
        let text = try formatExtXYZ(frames)
        let back = try readExtXYZ(text: text, fileName: "round.xyz")
        #expect(back == frames)
    }

    @Test("real files survive read → write → read unchanged")
    func realFilesRoundTrip() throws {
        for name in ["Cu_u3_eam.extxyz", "hea25_cookbook_test_data_33.xyz", "Fe_mm_eam_fs.extxyz"] {
            let frames = try readExtXYZ(path: IOTestResources.path(name))
            let again = try readExtXYZ(text: try formatExtXYZ(frames), fileName: name)
            #expect(again == frames, "\(name)")
        }
    }

    @Test("comment line layout is ASE's: Lattice, Properties, sorted info, pbc last; stress as 9 values")
    func layout() throws {
        let text = try formatExtXYZ([Self.sampleFrame()])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "3")
        let comment = String(lines[1])
        #expect(comment.hasPrefix(#"Lattice="3.615 0.0 0.0 0.1 3.615 0.0 0.0 0.2 7.23" "#
            + "Properties=species:S:1:pos:R:3:energies:R:1:fixed:L:3:forces:R:3:site:S:1:tags:I:1 "))
        #expect(comment.contains(#"stress="0.001 2.0 3.0 2.0 5.0 6.0 3.0 6.0 9.5""#))
        #expect(comment.contains(#"comment="a \"quoted\" \\ value=1""#))
        #expect(comment.contains(#""weird key"=inf"#))
        #expect(comment.hasSuffix(#"pbc="T T F""#))
        #expect(lines[2].hasPrefix("Cu"))
        #expect(lines.count == 2 + 3 + 1)  // count, comment, 3 atoms, empty tail after the last newline
    }

    @Test("writes to a file")
    func toFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-\(UInt64.random(in: 0...UInt64.max)).xyz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeExtXYZ([Self.sampleFrame()], to: path)
        #expect(try readExtXYZ(path: path) == [Self.sampleFrame()])
        let e = try #require(capturedInputError { try writeExtXYZ([Self.sampleFrame()], to: "/nonexistent-dir/x.xyz") })
        #expect(e.file == "/nonexistent-dir/x.xyz")
    }

    @Test("inconsistent frames are refused with the offending key")
    func refusesInconsistent() throws {
        var frame = Self.sampleFrame()
        frame.positions.removeLast()
        #expect(capturedInputError { _ = try formatExtXYZ([frame]) }?.key == "positions")

        frame = Self.sampleFrame()
        frame.arrays["forces"] = .doubles([1, 2, 3], columns: 3)
        #expect(capturedInputError { _ = try formatExtXYZ([frame]) }?.key == "forces")

        frame = Self.sampleFrame()
        frame.info["pbc"] = .bool(true)
        #expect(capturedInputError { _ = try formatExtXYZ([frame]) }?.key == "pbc")

        frame = Self.sampleFrame()
        frame.info["note"] = .string("")
        #expect(capturedInputError { _ = try formatExtXYZ([frame]) }?.key == "note")

        frame = Self.sampleFrame()
        frame.symbols[0] = "C u"
        #expect(capturedInputError { _ = try formatExtXYZ([frame]) }?.key == "symbols")

        frame = Self.sampleFrame()
        frame.arrays["a:b"] = .ints([1, 2, 3], columns: 1)
        #expect(capturedInputError { _ = try formatExtXYZ([frame]) }?.key == "a:b")

        frame = Self.sampleFrame()
        frame.info["virial"] = .doubleArray([1, 2, 3])
        #expect(capturedInputError { _ = try formatExtXYZ([frame]) }?.key == "virial")
    }
}
