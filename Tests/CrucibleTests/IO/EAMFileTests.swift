import CrucibleCore
import Foundation
import Testing
@testable import CrucibleIO

@Suite("EAM potential files")
struct EAMFileTests {
    @Test("funcfl Cu_u3.eam: header and tabulated values")
    func funcfl() throws {
        let file = try FuncflFile(path: IOTestResources.path("Cu_u3.eam"))
        #expect(file.atomicNumber == 29)
        #expect(file.mass == 63.55)
        #expect(file.latticeConstant == 3.615)
        #expect(file.latticeType == "FCC")
        #expect(file.nrho == 500 && file.nr == 500)
        #expect(file.drho == 5.0100200400801306e-04)
        #expect(file.dr == 1.0000000000000009e-02)
        #expect(file.cutoff == 4.9499999999999886)
        #expect(file.embedding.count == 500 && file.effectiveCharge.count == 500 && file.density.count == 500)
        #expect(file.embedding[0] == 0 && file.embedding[1] == -3.1561636903424350e-01)
        #expect(file.embedding[499] == -2.5469326331427965e+01)
        #expect(file.effectiveCharge[0] == 10.0 && file.effectiveCharge[1] == 1.0801534951171448e+01)
        #expect(file.density[1] == 5.4383329664155645e-05)
        #expect(file.warnings.isEmpty)
    }

    @Test("setfl Cu_mishin1.eam.alloy")
    func setfl() throws {
        let file = try SetflFile(path: IOTestResources.path("Cu_mishin1.eam.alloy"), variant: .alloy)
        #expect(file.elements == ["Cu"])
        #expect(file.masses == [63.54999999999999715783])
        #expect(file.nrho == 10001 && file.nr == 10001)
        #expect(file.drho == 0.00016401626143851118 && file.dr == 0.00089991000899910004)
        #expect(file.cutoff == 5.50678999999999962967)
        #expect(file.embedding[0][0] == 0.00000499999999981071)
        #expect(file.embedding[0][10000] == -2.10685025683005777708)
        #expect(file.density[0][0] == 1.64032663064655026552)
        #expect(file.z2r.count == 1 && file.z2r[0].count == 10001)
        #expect(file.comments.count == 3 && file.comments[0].hasPrefix("DATE: 2007-10-12"))
    }

    @Test("setfl with two elements: CuNi.eam.alloy")
    func setflTwoElements() throws {
        let file = try SetflFile(path: IOTestResources.path("CuNi.eam.alloy"), variant: .alloy)
        #expect(file.elements == ["Ni", "Cu"])
        #expect(file.atomicNumbers == [28, 29])
        #expect(file.masses == [58.689, 63.546])
        #expect(file.embedding[0][1] == 0.2310449218913587)
        #expect(file.density.count == 2 && file.z2r.count == 3)
        let tables = EAMTables(setfl: file)
        #expect(tables.style == .setfl)
        #expect(tables.densityTableIndex(source: 1, target: 0) == 1)
        #expect(tables.rhomax == 499 * 0.5957203073046090E-02)
    }

    @Test("Finnis–Sinclair Fe_mm.eam.fs: one density table per element pair")
    func finnisSinclair() throws {
        let file = try SetflFile(path: IOTestResources.path("Fe_mm.eam.fs"), variant: .finnisSinclair)
        #expect(file.elements == ["Fe"])
        #expect(file.atomicNumbers == [26] && file.masses == [55.845])
        #expect(file.nrho == 10000 && file.drho == 0.03 && file.nr == 10000 && file.dr == 5.3e-4 && file.cutoff == 5.3)
        #expect(file.embedding[0][9999] == -49.1616595916)
        #expect(file.density.count == 1 && file.density[0][0] == 196.0418432642)
        #expect(file.z2r[0][0] == 1e12 && file.z2r[0][9999] == -5.54605604224349e-12)
        let tables = EAMTables(setfl: file)
        #expect(tables.style == .finnisSinclair)
    }


    @Test("numbers may be spread over lines arbitrarily, as long as each table ends its line")
    func reflowedTables() throws {
        let original = try FuncflFile(path: IOTestResources.path("Ag_u3.eam"))
        let text = try IOTestResources.text("Ag_u3.eam")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Re-flow each table with a varying number of values per line, plus blank and comment lines.
        var out = lines[0..<3].joined(separator: "\n") + "\n"
        var generator = IOFuzzRandom(seed: 3)
        for table in [original.embedding, original.effectiveCharge, original.density] {
            var index = 0
            while index < table.count {
                let take = min(Int(generator.next() % 9) + 1, table.count - index)
                out += table[index..<(index + take)].map { "\($0)" }.joined(separator: "\t  ") + "   # comment\n"
                if generator.next() % 10 == 0 { out += "\n   \n# a comment line\n" }
                index += take
            }
        }
        var reflowed = try FuncflFile(text: out, fileName: "reflowed.eam")
        reflowed.header = original.header
        #expect(reflowed == original)

        // The element and grid lines may be split too (LAMMPS joins lines until it has the words).
        let split: String = String(lines[0]) + "\n47\n107.87 4.09 FCC\n500 5.0100200400801306e-04\n500\n"
            + "1.1212121212121229e-02 5.5500000000000114e+00\n" + lines[3...].joined(separator: "\n")
        #expect(try FuncflFile(text: split, fileName: "split.eam").embedding == original.embedding)
    }

    @Test("values after the end of a table on its last line are dropped, as LAMMPS does, with a warning")
    func leftoverValues() throws {
        var lines = try IOTestResources.text("Ni_u3.eam").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        lines[2 + 100] += " 99.0 98.0"  // last line of the F table (500 values, 5 per line)
        let file = try FuncflFile(text: lines.joined(separator: "\n"), fileName: "extra.eam")
        let reference = try FuncflFile(path: IOTestResources.path("Ni_u3.eam"))
        #expect(file.embedding == reference.embedding && file.effectiveCharge == reference.effectiveCharge)
        #expect(file.warnings.count == 1 && file.warnings[0].hasPrefix("line 103: 2 value(s)"))
    }
}
