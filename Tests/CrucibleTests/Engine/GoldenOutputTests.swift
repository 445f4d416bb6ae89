import Foundation
import Testing
@testable import CrucibleEngine

/// Every example deck of Inputs/ (shortened to 100 steps, as a K = 1 run) writes bitwise the same
/// thermo rows, trajectory and final structure as the engine did before the replica/schedule
/// restructuring (commit 546090b). The golden file Resources/golden/example_outputs.json was
/// recorded by this test with that commit's engine (`CRUCIBLE_RECORD_GOLDEN=1 swift test --filter
/// GoldenOutput`); it holds the thermo CSV text and FNV-1a digests of every trajectory dataset and of
/// the final structure's text. One key was re-recorded since: `eam_cu_nvt` `trajectory.force`, when
/// trajectories began storing forces in kJ mol⁻¹ Å⁻¹ for MDAnalysis (the eV/Å forces behind it are
/// still held bitwise by the final structure, written from the same evaluation, and by the positions
/// and velocities every force of the run went into).
@Suite(.serialized) struct GoldenOutputTests {
    static let decks = ["lj_melt", "eam_cu_nvt", "eam_cu_npt", "minimize_cuni_lattice"]
    static let steps = 100

    static var inputs: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Inputs").path
    }

    /// 64-bit FNV-1a over the bytes of `values` (little-endian bit patterns).
    static func digest<S: Sequence>(_ values: S) -> String where S.Element == UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in values {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash ^= (value >> UInt64(shift)) & 0xff
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        return String(hash, radix: 16)
    }

    static func digest(doubles: [Double]) -> String { digest(doubles.map(\.bitPattern)) }
    static func digest(text: String) -> String { digest(text.utf8.map { UInt64($0) }) }

    /// What one deck's run wrote, reduced to comparable strings.
    static func outputs(deck: String, threads: Int) throws -> [String: String] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-golden-\(UUID().uuidString)").path
        let plan = try loadDeck(path: inputs + "/\(deck).yaml")
        var simulation = try Simulation(plan: plan, options: RunOptions(maxSteps: steps, outputDirectory: out, threads: threads, quiet: true))
        try simulation.run()
        var result: [String: String] = [:]
        let name = { (path: String) in out + "/" + (path.split(separator: "/").last.map(String.init) ?? path) }
        if let path = plan.output.thermo.path {
            result["thermo"] = try String(contentsOfFile: name(path), encoding: .utf8)
        }
        if let path = plan.output.finalStructurePath {
            result["final_structure"] = digest(text: try String(contentsOfFile: name(path), encoding: .utf8))
        }
        if let trajectory = plan.output.trajectory {
            let reader = try H5MDReader(path: name(trajectory.path))
            defer { reader.close() }
            result["trajectory.step"] = digest(try reader.steps().map { UInt64(bitPattern: Int64($0)) })
            result["trajectory.time"] = digest(doubles: try reader.times())
            var box: [Double] = []
            for frame in 0..<reader.frameCount { box += try reader.box(frame: frame) }
            result["trajectory.box"] = digest(doubles: box)
            for field in reader.fields {
                var values: [Double] = []
                for frame in 0..<reader.frameCount { values += try reader.values(field, frame: frame) }
                result["trajectory.\(field.rawValue)"] = digest(doubles: values)
            }
            for observable in try reader.observableNames() {
                result["trajectory.observables.\(observable)"] = digest(doubles: try reader.observable(observable))
            }
        }
        try? FileManager.default.removeItem(atPath: out)
        return result
    }

    static var goldenPath: String { IOTestResources.path("golden/example_outputs.json") }

    @Test(arguments: decks) func exampleDeckMatchesGoldenOutputs(deck: String) throws {
        let one = try Self.outputs(deck: deck, threads: 1)
        #expect(!one.isEmpty)
        if ProcessInfo.processInfo.environment["CRUCIBLE_RECORD_GOLDEN"] != nil {
            var all = (try? JSONDecoder().decode([String: [String: String]].self,
                                                 from: Data(contentsOf: URL(fileURLWithPath: Self.goldenPath)))) ?? [:]
            all[deck] = one
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(all).write(to: URL(fileURLWithPath: Self.goldenPath))
            return
        }
        let golden = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: URL(fileURLWithPath: Self.goldenPath)))
        let expected = try #require(golden[deck])
        for (key, value) in expected {
            #expect(one[key] == value, "\(deck): \(key) differs from the golden output")
        }
        // Two threads give the same bits.
        #expect(try Self.outputs(deck: deck, threads: 2) == one)
    }
}
