import Foundation
import Testing

/// The real executable on bad input: a clear message naming file, line and key, exit status 1, no crash.
@Suite struct CommandLineTests {
    static var executable: String {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent(".build/debug/crucible").path
    }

    func crucible(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func write(_ text: String, _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        return dir + "/" + name
    }

    @Test func badDeckNamesFileLineAndKey() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable))
        let deck = try write("""
        system:
          lattice: {kind: fcc, a: 3.6, repeat: [2, 2, 2], species: Cu}
        potential:
          lj: {cutoff: 5, pairs: [{species: [Cu, Cu], epsilon: 0.4, sigma: 2.3}]}
        md:
          steps: 10
          thermostat:
            langevin: {temperatur: 300, damping: 0.1}
        """, "bad.yaml")
        for command in ["run", "validate"] {
            let (status, output) = try crucible([command, deck])
            #expect(status == 1)
            #expect(output.contains("bad.yaml:8"), "\(output)")
            #expect(output.contains("did you mean 'temperature'"), "\(output)")
            #expect(!output.contains("Fatal error") && !output.contains("crashed"))
        }
    }

    @Test func badStructureFileNamesFileAndLine() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable))
        let structure = try write("2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3\nCu 0 0 0\nCu 1.8 x 0\n", "bad.xyz")
        let deck = structure.replacingOccurrences(of: "bad.xyz", with: "deck.yaml")
        try """
        system: {structure: {file: bad.xyz}}
        potential: {lj: {cutoff: 5, pairs: [{species: [Cu, Cu], epsilon: 0.4, sigma: 2.3}]}}
        single_point: {}
        """.write(toFile: deck, atomically: true, encoding: .utf8)
        let (status, output) = try crucible(["run", deck])
        #expect(status == 1)
        #expect(output.contains("bad.xyz:4"), "\(output)")
    }

    @Test func badPotentialFileNamesFileAndLine() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable))
        let text = try String(contentsOfFile: IOTestResources.path("Cu_u3.eam"), encoding: .utf8)
        let truncated = String(text.split(separator: "\n", omittingEmptySubsequences: false).prefix(40).joined(separator: "\n"))
        let potential = try write(truncated, "Cu_cut.eam")
        let deck = potential.replacingOccurrences(of: "Cu_cut.eam", with: "deck.yaml")
        try """
        system: {lattice: {kind: fcc, a: 3.615, repeat: [2, 2, 2], species: Cu}}
        potential: {eam: {file: Cu_cut.eam, species: [Cu]}}
        single_point: {}
        """.write(toFile: deck, atomically: true, encoding: .utf8)
        let (status, output) = try crucible(["run", deck])
        #expect(status == 1)
        #expect(output.contains("Cu_cut.eam:"), "\(output)")
    }

    @Test func negativeStepCapIsRefused() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable))
        let (status, output) = try crucible(["run", "x.yaml", "--max-steps", "-3"])
        #expect(status != 0 && output.contains("--max-steps"))
    }
}
