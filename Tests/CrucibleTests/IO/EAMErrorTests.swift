import CrucibleCore
import Testing
@testable import CrucibleIO

@Suite("EAM potential file errors")
struct EAMErrorTests {
    /// Parses `text` as the format its name implies.
    private func parse(_ text: String, as name: String) throws {
        if name.hasSuffix(".eam") {
            _ = try FuncflFile(text: text, fileName: name)
        } else {
            _ = try SetflFile(text: text, fileName: name, variant: name.hasSuffix(".fs") ? .finnisSinclair : .alloy)
        }
    }

    private func lines(_ name: String) throws -> [String] {
        try IOTestResources.text(name).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("truncated at whole lines: error names the last line present",
          arguments: ["Cu_u3.eam", "CuNi.eam.alloy", "Fe_mm.eam.fs"])
    func truncatedAtLines(name: String) throws {
        let all = try lines(name)
        for keep in [0, 1, 2, 3, 4, 5, 6, 7, 50, all.count / 3, all.count / 2, all.count - 10] {
            let text = all[0..<keep].joined(separator: "\n") + (keep > 0 ? "\n" : "")
            let e = try #require(capturedInputError { try parse(text, as: name) }, "\(name) keeping \(keep) lines")
            #expect(e.file == name)
            #expect(e.line == max(keep, 1), "\(name) keeping \(keep) lines: \(e)")
        }
    }

    @Test("truncated anywhere, even inside a number: InputError at the last line, never a crash",
          arguments: ["Ni_u3.eam", "CuNi.eam.alloy", "Fe_mm.eam.fs"])
    func truncatedAnywhere(name: String) throws {
        let bytes = Array(try IOTestResources.text(name).utf8)
        var generator = IOFuzzRandom(seed: 42)
        for _ in 0..<40 {
            let cut = Int(generator.next() % UInt64(bytes.count * 95 / 100))
            let prefix = String(decoding: bytes[0..<cut], as: UTF8.self)
            let e = try #require(capturedInputError { try parse(prefix, as: name) }, "\(name) cut at byte \(cut)")
            #expect(e.line == lastLineNumber(of: Substring(prefix)), "\(name) cut at byte \(cut): \(e)")
        }
    }

    @Test("a corrupted number is reported with its line and column",
          arguments: ["1.2.3", "NaN", "1.0D+00", "--1", "0x10", "1e"])
    func corruptToken(token: String) throws {
        var all = try lines("Cu_u3.eam")
        all[199] = " -1.0 " + token + " 2.0"  // line 200: inside the Z(r) table
        let e = try #require(capturedInputError { try parse(all.joined(separator: "\n"), as: "Cu_u3.eam") })
        #expect(e.line == 200)
        #expect(e.column == 7)
        #expect(e.message.contains("Z(r)") && e.message.contains("'\(token)'"))
    }

    @Test("corrupting random bytes never crashes", arguments: ["Cu_u3.eam", "CuNi.eam.alloy"])
    func randomCorruption(name: String) throws {
        let original = Array(try IOTestResources.text(name).utf8)
        var generator = IOFuzzRandom(seed: 5)
        let junk: [UInt8] = Array("x.-+eE# \n0".utf8)
        for _ in 0..<60 {
            var bytes = original
            for _ in 0..<3 {
                bytes[Int(generator.next() % UInt64(bytes.count))] = junk[Int(generator.next() % UInt64(junk.count))]
            }
            _ = capturedInputError { try parse(String(decoding: bytes, as: UTF8.self), as: name) }
        }
    }

    @Test("element line must list exactly N symbols", arguments: ["    2  Ni", "    2  Ni  Cu  Fe", "    0", "    x  Ni"])
    func elementCountMismatch(line: String) throws {
        var all = try lines("CuNi.eam.alloy")
        all[3] = line
        let e = try #require(capturedInputError { try parse(all.joined(separator: "\n"), as: "CuNi.eam.alloy") })
        #expect(e.line == 4, "\(e)")
    }

    @Test("a setfl file read as Finnis–Sinclair fails where the next element's header line is met")
    func wrongVariant() throws {
        let text = try IOTestResources.text("CuNi.eam.alloy")
        let e = try #require(capturedInputError { _ = try SetflFile(text: text, fileName: "CuNi.eam.alloy", variant: .finnisSinclair) })
        #expect(e.line == 207)  // "29 63.546 3.6150 FCC": FCC is not a number of the 2nd Ni density table
        #expect(e.message.contains("rho(r) of Ni at Cu") && e.message.contains("'FCC'"))
    }

    @Test("grid line checks", arguments: [
        ("0 0.1 500 0.01 5.0", 1), ("500 0.1 3 0.01 5.0", 9), ("500 0.1 500 0 5.0", 13),
        ("500 -0.1 500 0.01 5.0", 5), ("500 0.1 500 0.01 0", 18), ("500.0 0.1 500 0.01 5", 1),
    ])
    func gridChecks(grid: String, column: Int) throws {
        var all = try lines("Cu_u3.eam")
        all[2] = grid
        let e = try #require(capturedInputError { try parse(all.joined(separator: "\n"), as: "Cu_u3.eam") })
        #expect(e.line == 3)
        #expect(e.column == column, "\(e)")
    }

    @Test("files in units other than metal are refused")
    func units() throws {
        var all = try lines("Cu_u3.eam")
        all[0] = "DATE: 2007-06-11 UNITS: real CONTRIBUTOR: x"
        let e = try #require(capturedInputError { try parse(all.joined(separator: "\n"), as: "Cu_u3.eam") })
        #expect(e.line == 1 && e.message.contains("UNITS: real"))
    }

    @Test("funcfl mixing needs one symbol per file, all different")
    func funcflSymbols() throws {
        let cu = try FuncflFile(path: IOTestResources.path("Cu_u3.eam"))
        #expect(capturedInputError { _ = try EAMTables(funcfl: [cu, cu], elements: ["Cu"]) }?.key == "elements")
        #expect(capturedInputError { _ = try EAMTables(funcfl: [cu, cu], elements: ["Cu", "Cu"]) }?.key == "Cu")
        #expect(capturedInputError { _ = try EAMTables(funcfl: [], elements: []) } != nil)
        #expect(capturedInputError { _ = try EAMTables(funcflPaths: ["/nonexistent.eam"], elements: ["Cu"]) }?.file == "/nonexistent.eam")
    }
}
