import CrucibleCore
import Testing
@testable import CrucibleIO

@Suite("Extended XYZ reader errors")
struct ExtXYZErrorTests {
    private func error(_ text: String) -> InputError? {
        capturedInputError { _ = try readExtXYZ(text: text, fileName: "bad.xyz") }
    }

    @Test("file ends inside a frame: reported at the last line, saying how many atoms were found")
    func truncatedFrame() throws {
        let e = try #require(error("3\nenergy=1\nH 0 0 0\nH 1 0 0\n"))
        #expect(e.file == "bad.xyz")
        #expect(e.line == 4)
        #expect(e.message.contains("declares 3 atoms") && e.message.contains("after 2 atom lines"))
    }

    @Test("missing comment line")
    func missingComment() throws {
        let e = try #require(error("2\n"))
        #expect(e.line == 1)
        #expect(e.message.contains("comment line"))
    }

    @Test("atom count that is not a non-negative integer", arguments: ["x", "2.5", "-1", "2 3"])
    func badCount(count: String) throws {
        let e = try #require(error("1\n\nH 0 0 0\n\(count)\n\n"))
        #expect(e.line == 4)
        #expect(e.message.contains("number of atoms"))
    }

    @Test("wrong atom count shows up as a bad next frame header")
    func wrongAtomCount() throws {
        // Declares 1 atom but lists 2: the second atom line is taken as the next frame's count.
        let e = try #require(error("1\n\nH 0 0 0\nH 1 0 0\n"))
        #expect(e.line == 4)
        #expect(e.message.contains("found 'H 1 0 0'"))
    }

    @Test("too few and too many fields on an atom line", arguments: ["H 0 0", "H 0 0 0 0"])
    func wrongFieldCount(line: String) throws {
        let e = try #require(error("2\n\nH 0 0 0\n\(line)\n"))
        #expect(e.line == 4)
        #expect(e.message.contains("expected 4 fields"))
    }

    @Test("non-numeric values point at line and column")
    func nonNumeric() throws {
        let e = try #require(error("1\nProperties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 1 two 3\n"))
        #expect(e.line == 3)
        #expect(e.column == 11)
        #expect(e.key == "forces")
        #expect(e.message.contains("column 2 of 3") && e.message.contains("'two'"))
        let i = try #require(error("1\nProperties=species:S:1:pos:R:3:tag:I:1\nH 0 0 0 1.5\n"))
        #expect(i.message.contains("an integer"))
        let l = try #require(error("1\nProperties=species:S:1:pos:R:3:m:L:1\nH 0 0 0 yes\n"))
        #expect(l.message.contains("T, F, True or False"))
    }

    @Test("Lattice must have 9 numbers", arguments: ["\"1 0 0 0 1 0 0 0\"", "\"1 0 0 0 1 0 0 0 x\"", "5"])
    func badLattice(lattice: String) throws {
        let e = try #require(error("1\nLattice=\(lattice)\nH 0 0 0\n"))
        #expect(e.line == 2)
        #expect(e.key == "Lattice")
    }

    @Test("stress must have 9 numbers, as ASE requires")
    func badStress() throws {
        let e = try #require(error("1\nstress=\"1 2 3 4 5 6\"\nH 0 0 0\n"))
        #expect(e.key == "stress" && e.line == 2)
    }

    @Test("Properties problems", arguments: [
        ("species:S:1:pos:X:3", "unknown type 'X'"),
        ("species:S:1:pos:R", "triples"),
        ("species:S:1:pos:R:0", "positive column count"),
        ("species:S:1:pos:R:2", "pos:R:3"),
        ("species:S:1", "no positions"),
        ("pos:R:3", "no species"),
        ("species:S:1:pos:R:3:pos:R:3", "listed twice"),
    ])
    func badProperties(spec: String, fragment: String) throws {
        let e = try #require(error("1\nProperties=\(spec)\nH 0 0 0\n"))
        #expect(e.line == 2)
        #expect(e.message.contains(fragment), "\(e.message)")
    }

    @Test("pbc must be three booleans")
    func badPBC() throws {
        let e = try #require(error("1\npbc=\"T F\"\nH 0 0 0\n"))
        #expect(e.key == "pbc")
    }

    @Test("a blank line followed by more data is an error, not silently the end")
    func blankLineInMiddle() throws {
        let e = try #require(error("1\n\nH 0 0 0\n\n1\n\nH 0 0 0\n"))
        #expect(e.line == 4)
    }

    @Test("missing file")
    func missingFile() throws {
        let e = try #require(capturedInputError { _ = try readExtXYZ(path: "/nonexistent/x.xyz") })
        #expect(e.file == "/nonexistent/x.xyz")
        #expect(e.message.contains("not found"))
    }

    @Test("truncating a real file anywhere never crashes: it reads or names the last line")
    func truncationAnywhere() throws {
        let text = try IOTestResources.text("Cu_u3_eam.extxyz")
        let bytes = Array(text.utf8)
        var generator = IOFuzzRandom(seed: 7)
        for _ in 0..<300 {
            let cut = Int(generator.next() % UInt64(bytes.count))
            let prefix = String(decoding: bytes[0..<cut], as: UTF8.self)
            do {
                _ = try readExtXYZ(text: prefix, fileName: "cut.xyz")
            } catch let e as InputError {
                #expect((1...lastLineNumber(of: Substring(prefix))).contains(e.line ?? 0),
                        "cut at \(cut): \(e)")
            }
        }
    }

    @Test("corrupting one byte anywhere never crashes")
    func corruption() throws {
        let bytes = Array(try IOTestResources.text("hea25_cookbook_test_data_33.xyz").utf8)
        var generator = IOFuzzRandom(seed: 11)
        let junk: [UInt8] = Array("x.-+e\"= \n\t:T".utf8)
        for _ in 0..<300 {
            var copy = bytes
            copy[Int(generator.next() % UInt64(copy.count))] = junk[Int(generator.next() % UInt64(junk.count))]
            _ = capturedInputError { _ = try readExtXYZ(text: String(decoding: copy, as: UTF8.self), fileName: "c.xyz") }
        }
    }
}

/// Small deterministic generator for reproducible fuzzing.
struct IOFuzzRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
