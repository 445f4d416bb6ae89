import CrucibleCore
import Testing
@testable import CrucibleIO

@Suite("Extended XYZ reader")
struct ExtXYZReaderTests {
    @Test("LAMMPS reference file: 5 frames of 108 Cu with forces and per-atom energies")
    func lammpsReference() throws {
        let frames = try readExtXYZ(path: IOTestResources.path("Cu_u3_eam.extxyz"))
        #expect(frames.count == 5)
        let first = try #require(frames.first)
        #expect(first.atomCount == 108)
        #expect(first.symbols.allSatisfy { $0 == "Cu" })
        #expect(first.cell == [10.845, 0, 0, 0, 10.845, 0, 0, 0, 10.845])
        #expect(first.pbc == [true, true, true])
        #expect(first.positions.count == 324)
        #expect(Array(first.positions[3..<6]) == [0.0, 1.8075, 1.8075])
        #expect(first.info["energy"] == .double(-382.32000024623073))
        #expect(first.info["pair_style"] == .string("eam"))
        #expect(first.info["potential_file"] == .string("Cu_u3.eam"))
        #expect(first.info["stress_voigt_ase"]?.doubles?.count == 6)
        guard case .doubles(let forces, columns: 3)? = first.arrays["forces"],
              case .doubles(let energies, columns: 1)? = first.arrays["energies"]
        else { Issue.record("forces R:3 and energies R:1 expected"); return }
        #expect(forces.count == 324)
        #expect(energies.count == 108 && energies.allSatisfy { $0 == -3.54 })
        #expect(first.info["Properties"] == nil && first.info["Lattice"] == nil && first.info["pbc"] == nil)
    }

    @Test("HEA25 test set: 33 frames, 25 elements, stress as 9 values")
    func hea25() throws {
        let frames = try readExtXYZ(path: IOTestResources.path("hea25_cookbook_test_data_33.xyz"))
        #expect(frames.count == 33)
        #expect(Set(frames.map(\.atomCount)).isSubset(of: Set(36...48)))
        #expect(Set(frames.flatMap(\.symbols)).count == 25)
        let first = try #require(frames.first)
        #expect(first.atomCount == 48)
        #expect(first.symbols[0] == "Co")
        #expect(first.info["energy"] == .double(-341.93578742))
        #expect(first.info["class"] == .int(2))
        #expect(first.info["name"] == .int(1676))
        #expect(first.info["stress"]?.doubles?.count == 9)
        #expect(first.info["stress"]?.doubles?[1] == 0.00524741148438558)
        #expect(first.cell[8] == 10.062917903)
        for frame in frames {
            #expect(frame.positions.count == 3 * frame.atomCount)
            #expect(frame.arrays["forces"]?.valueCount == 3 * frame.atomCount)
        }
    }

    @Test("plain XYZ: species and positions, words of the comment become true flags, no cell")
    func plainXYZ() throws {
        let text = "2\nwater dimer fragment\nO 0 0 0\nh 0.9572 0 0\n"
        let frame = try #require(try readExtXYZ(text: text, fileName: "plain.xyz").first)
        #expect(frame.symbols == ["O", "H"])
        #expect(frame.positions == [0, 0, 0, 0.9572, 0, 0])
        #expect(frame.pbc == [false, false, false])
        #expect(!frame.hasCell)
        #expect(frame.info == ["water": .bool(true), "dimer": .bool(true), "fragment": .bool(true)])
    }

    @Test("frames of different sizes, CRLF line ends, trailing blank lines")
    func varyingFrames() throws {
        let text = "1\r\nProperties=species:S:1:pos:R:3\r\nAr 1 2 3\r\n3\r\n\r\nNe 0 0 0\r\nNe 1 0 0\r\nNe 2 0 0\r\n\r\n\n"
        let frames = try readExtXYZ(text: text, fileName: "crlf.xyz")
        #expect(frames.map(\.atomCount) == [1, 3])
        #expect(frames[1].positions[6] == 2)
        #expect(frames[1].info.isEmpty)
    }

    @Test("comment line: quoting, escapes, spaces around =, bare keys, arrays, bools")
    func commentLine() throws {
        let comment = #"Lattice="2 0 0 0 3 0 0 0 4" pbc="T F T" name="a b \"c\"" key = value flag "#
            + #"ints={1 2 3} reals=[1.5,2] mix="1 x" bools="T F True" yes=true step=7 t=-1.5e-3 "#
            + #"eq=a=b uid=123 inf=inf"#
        let text = "1\n\(comment)\nCu 0 0 0\n"
        let frame = try #require(try readExtXYZ(text: text, fileName: "c.xyz").first)
        #expect(frame.cell == [2, 0, 0, 0, 3, 0, 0, 0, 4])
        #expect(frame.pbc == [true, false, true])
        #expect(frame.info["name"] == .string(#"a b "c""#))
        #expect(frame.info["key"] == .string("value"))
        #expect(frame.info["flag"] == .bool(true))
        #expect(frame.info["ints"] == .intArray([1, 2, 3]))
        #expect(frame.info["reals"] == .doubleArray([1.5, 2]))
        #expect(frame.info["mix"] == .string("1 x"))
        #expect(frame.info["bools"] == .boolArray([true, false, true]))
        #expect(frame.info["yes"] == .bool(true))
        #expect(frame.info["step"] == .int(7))
        #expect(frame.info["t"] == .double(-1.5e-3))
        #expect(frame.info["eq"] == .string("a=b"))
        #expect(frame.info["uid"] == .string("123"))
        #expect(frame.info["inf"] == .double(.infinity))
    }

    @Test("pbc defaults: T T T with a Lattice, F F F without; a single T applies to all")
    func pbcDefaults() throws {
        let withLattice = try readExtXYZ(text: "1\nLattice=\"1 0 0 0 1 0 0 0 1\"\nH 0 0 0\n", fileName: "a")[0]
        #expect(withLattice.pbc == [true, true, true])
        let without = try readExtXYZ(text: "1\nenergy=1\nH 0 0 0\n", fileName: "b")[0]
        #expect(without.pbc == [false, false, false])
        let single = try readExtXYZ(text: "1\npbc=T\nH 0 0 0\n", fileName: "c")[0]
        #expect(single.pbc == [true, true, true])
    }

    @Test("all column types, Z instead of species, capitalisation")
    func columnTypes() throws {
        let text = """
            2
            Properties=Z:I:1:pos:R:3:tag:I:1:fixed:L:3:label:S:1:vel:R:3
            29 0 0 0 7 T F True  site-a 1 2 3
            28 1 1 1 -2 F False T site-b 4 5 6e-1

            """
        let frame = try #require(try readExtXYZ(text: text, fileName: "types.xyz").first)
        #expect(frame.symbols == ["Cu", "Ni"])
        #expect(frame.arrays["Z"] == nil)
        #expect(frame.arrays["tag"] == .ints([7, -2], columns: 1))
        #expect(frame.arrays["fixed"] == .bools([true, false, true, false, false, true], columns: 3))
        #expect(frame.arrays["label"] == .strings(["site-a", "site-b"], columns: 1))
        #expect(frame.arrays["vel"] == .doubles([1, 2, 3, 4, 5, 0.6], columns: 3))
        let upper = try readExtXYZ(text: "1\n\nCU 0 0 0\n", fileName: "u")[0]
        #expect(upper.symbols == ["Cu"])
    }

    @Test("an empty frame is allowed")
    func emptyFrame() throws {
        let frames = try readExtXYZ(text: "0\nenergy=0.0\n1\n\nHe 0 0 0\n", fileName: "e")
        #expect(frames.map(\.atomCount) == [0, 1])
    }
}
