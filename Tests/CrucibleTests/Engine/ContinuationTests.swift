import Foundation
import Testing
@testable import CrucibleEngine

/// Continuing runs from checkpoints in-process: a shortened run restarted with a larger step cap,
/// and a finished run whose deck extends `md.steps`, write exactly what an uninterrupted run writes;
/// a deck changed in a way that would not continue the same trajectory is refused with a message
/// naming the key.
@Suite struct ContinuationTests {
    static func deck(steps: Int, timestep: String = "0.002", skin: String = "0.5") -> String { """
    seed: 12
    system:
      lattice: {kind: fcc, a: 3.615, repeat: [3, 3, 3], species: Cu}
      velocities: {temperature: 900}
    potential:
      eam: {file: Cu_u3.eam}
    neighbor: {skin: \(skin)}
    md:
      steps: \(steps)
      timestep: \(timestep)
      thermostat:
        csvr: {temperature: 900, tau: 0.05}
      barostat: {pressure: 0, tau: 0.2, compressibility: 1.0e-6}
    output:
      thermo: {every: 10, file: thermo.csv}
      trajectory: {file: traj.h5md, every: 20, fields: [position, velocity, force]}
      final_structure: final.xyz
      checkpoint: {file: run.chk.h5, every: 25}
    """ }

    func run(_ deck: String, in dir: String, output: String, maxSteps: Int? = nil, restart: Bool = false) throws {
        let plan = try decodeDeck(text: deck, fileName: "deck.yaml", baseDirectory: dir)
        var simulation = try Simulation(plan: plan, options: RunOptions(maxSteps: maxSteps, outputDirectory: dir + "/" + output,
                                                                        quiet: true, restart: restart))
        try simulation.run()
    }

    func outputs(_ dir: String) throws -> [String] {
        let reader = try H5MDReader(path: dir + "/traj.h5md")
        defer { reader.close() }
        var frames: [Double] = []
        for k in 0..<reader.frameCount { frames += try reader.positions(frame: k) + reader.velocities(frame: k) + reader.forces(frame: k) }
        return [try String(contentsOfFile: dir + "/thermo.csv", encoding: .utf8), try String(contentsOfFile: dir + "/final.xyz", encoding: .utf8),
                "\(try reader.steps())", "\(frames)"]
    }

    @Test func shortenedRunContinuedWithALargerCapEqualsAnUninterruptedRun() throws {
        let dir = try EngineRunTests.scratch()
        try run(Self.deck(steps: 60), in: dir, output: "full")
        try run(Self.deck(steps: 60), in: dir, output: "short", maxSteps: 33)
        // The shortened run wrote its end state at step 33, off every output's grid.
        #expect(try String(contentsOfFile: dir + "/short/thermo.csv", encoding: .utf8).contains("\n33,"))
        #expect(try CheckpointFile.read(dir + "/short/run.chk.h5").integer("run/step") == 33)
        try run(Self.deck(steps: 60), in: dir, output: "short", maxSteps: 60, restart: true)
        #expect(try outputs(dir + "/short") == outputs(dir + "/full"))
    }

    @Test func extendingStepsContinuesAFinishedRun() throws {
        let dir = try EngineRunTests.scratch()
        try run(Self.deck(steps: 80), in: dir, output: "full")
        try run(Self.deck(steps: 50), in: dir, output: "extended")
        try run(Self.deck(steps: 80), in: dir, output: "extended", restart: true)
        #expect(try outputs(dir + "/extended") == outputs(dir + "/full"))
    }

    @Test(arguments: [("timestep", "md"), ("skin", "neighbor")])
    func continuationBreakingChangesAreRefused(change: String, key: String) throws {
        let dir = try EngineRunTests.scratch()
        try run(Self.deck(steps: 30), in: dir, output: "out")
        let changed = change == "timestep" ? Self.deck(steps: 60, timestep: "0.003") : Self.deck(steps: 60, skin: "0.7")
        let error = capturedInputError { try run(changed, in: dir, output: "out", restart: true) }
        #expect(error?.key == key, "\(String(describing: error))")
        #expect("\(String(describing: error))".contains("only md.steps and output may change"))
    }

    /// Format 3 checkpoints (written before ring polymers moved to the BAOAB step) continue classical
    /// runs, whose step did not change, and are refused for path-integral runs.
    @Test(arguments: [false, true])
    func formatThreeCheckpointsContinueOnlyClassicalRuns(pathIntegral: Bool) throws {
        let dir = try EngineRunTests.scratch()
        var deck = Self.deck(steps: 30)
        if pathIntegral { deck = deck.replacingOccurrences(of: "  barostat:", with: "  path_integral: {beads: 2}\n  barostat:") }
        try run(deck, in: dir, output: "out")
        var record = try CheckpointFile.read(dir + "/out/run.chk.h5")
        #expect(record.integers["format_version"] == [RunCheckpoint.formatVersion])
        record.integers["format_version"] = [3]
        try CheckpointFile.write(record, to: dir + "/out/run.chk.h5")
        let error = capturedInputError { try run(deck.replacingOccurrences(of: "steps: 30", with: "steps: 40"), in: dir, output: "out", restart: true) }
        if pathIntegral {
            #expect("\(String(describing: error))".contains("checkpoint format 3 is not this Crucible's"), "\(String(describing: error))")
        } else {
            #expect(error == nil, "\(String(describing: error))")
            #expect(try CheckpointFile.read(dir + "/out/run.chk.h5").integer("run/step") == 40)
        }
    }
}
