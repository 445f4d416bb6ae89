import Foundation
import Testing
@testable import CrucibleEngine

/// A parallel-tempering path-integral run (two temperatures, 4 beads, exchanges) killed with SIGKILL
/// mid-run and restarted writes the thermo rows, exchange log and centroid trajectories of an
/// uninterrupted run (centroid and bead files), bit for bit; 1 and 2 threads give the same bits.
@Suite(.serialized) struct PathIntegralRestartTests {
    static let deck = """
    seed: 31
    system:
      lattice: {kind: fcc, a: 5.3, repeat: [2, 2, 2], species: Ar}
      velocities: {temperature: 60}
    potential:
      lj:
        cutoff: 5.2
        shift: true
        pairs:
          - {species: [Ar, Ar], epsilon: 0.010323, sigma: 3.405}
    neighbor: {skin: 0.5}
    md:
      steps: 1200
      timestep: 0.004
      thermostat: {csvr: {temperature: 60, tau: 0.05}}
      path_integral: {beads: 4}
    replicas:
      temperatures: [50, 60]
      exchange: {every: 10, file: exchange.csv}
    output:
      thermo: {every: 10, file: thermo.csv, columns: [step, state, temperature, potential, kinetic, kinetic_primitive, spring, conserved, pressure]}
      trajectory: {file: traj.h5md, every: 20, fields: [position, velocity, force], beads: true}
      checkpoint: {file: run.chk.h5, every: 100}
    """

    func outputs(_ dir: String) throws -> (String, [[Double]]) {
        var text = try String(contentsOfFile: dir + "/exchange.csv", encoding: .utf8)
        var frames: [[Double]] = []
        for k in 0..<2 {
            text += try String(contentsOfFile: dir + "/thermo.r\(k).csv", encoding: .utf8)
            for name in ["traj.s\(k).h5md"] + (0..<4).map({ "traj.s\(k).b\($0).h5md" }) {
                let reader = try H5MDReader(path: dir + "/" + name)
                defer { reader.close() }
                for f in 0..<reader.frameCount { frames.append(try reader.positions(frame: f) + reader.velocities(frame: f) + reader.forces(frame: f)) }
            }
        }
        return (text, frames)
    }

    @Test func killedPathIntegralRunContinuesBitwise() throws {
        let restart = RestartTests()
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable))
        let dir = try restart.folder(deck: Self.deck)
        let start = Date()
        #expect(restart.finish(try restart.launch(dir, "full")) == 0)
        let duration = Date().timeIntervalSince(start)
        let reference = try outputs(dir + "/full")
        // Exchanges happened (a row of the log is not the identity) and the rings are stretched.
        #expect(reference.0.split(separator: "\n").contains { $0.hasSuffix(",1,0") })
        try restart.killAfterRows(dir, "cut", rows: 60, patience: 10 * duration + 60)
        let killedAt = try CheckpointFile.read(dir + "/cut/run.chk.h5").integer("run/step")
        #expect(killedAt > 0 && killedAt < 1200, "checkpoint at step \(killedAt)")
        #expect(restart.finish(try restart.launch(dir, "cut", restart: true)) == 0)
        let continued = try outputs(dir + "/cut")
        #expect(continued.0 == reference.0)
        #expect(continued.1 == reference.1)
    }

    @Test func threadCountDoesNotChangeTheBits() throws {
        let dir = try EngineRunTests.scratch()
        var results: [(String, [[Double]])] = []
        for threads in [1, 2] {
            let plan = try decodeDeck(text: Self.deck.replacingOccurrences(of: "steps: 1200", with: "steps: 200"), fileName: "deck.yaml", baseDirectory: dir)
            var simulation = try Simulation(plan: plan, options: RunOptions(outputDirectory: dir + "/t\(threads)", threads: threads, quiet: true))
            try simulation.run()
            results.append(try outputs(dir + "/t\(threads)"))
        }
        #expect(results[0].0 == results[1].0 && results[0].1 == results[1].1)
        let spring = try String(contentsOfFile: dir + "/t1/thermo.r0.csv", encoding: .utf8).split(separator: "\n").last!.split(separator: ",")[6]
        #expect(Double(spring)! > 0)
        // The centroid file and the bead files hold different positions; the centroid is the beads' mean
        // (up to wrapping into the cell).
        let centroid = try H5MDReader(path: dir + "/t1/traj.s0.h5md"), bead = try H5MDReader(path: dir + "/t1/traj.s0.b2.h5md")
        defer { centroid.close(); bead.close() }
        #expect(centroid.frameCount == bead.frameCount && bead.frameCount == 11)
        #expect(try centroid.positions(frame: 10) != bead.positions(frame: 10))
    }
}
