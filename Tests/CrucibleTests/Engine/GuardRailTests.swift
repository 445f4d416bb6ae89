import Foundation
import Testing
@testable import CrucibleEngine

/// Each guard rail stops the run with the step and the atoms named, and writes nothing from the
/// broken state (the last checkpoint stays the last good one).
@Suite struct GuardRailTests {
    func state(_ edit: (inout MDState) -> Void = { _ in }) throws -> (MDState, NeighborList) {
        let (c, lj) = try TestSystems.argon(repeats: 2, temperature: 50)
        var state = MDState(configuration: c, random: RandomStream(seed: 1))
        var evaluator = Evaluator(potential: lj, skin: 0.5)
        edit(&state)
        state.evaluation = evaluator.evaluate(&state.configuration)
        return (state, evaluator.neighbors)
    }

    func violation(_ state: MDState, _ neighbors: NeighborList, target: Double = 50) -> String? {
        do { try GuardRails.check(state, neighbors: neighbors, target: target); return nil } catch { return "\(error)" }
    }

    @Test func healthyStatePasses() throws {
        let (s, n) = try state()
        #expect(violation(s, n) == nil)
    }

    @Test func nonFinitePositionIsNamed() throws {
        var (s, n) = try state()
        s.configuration.positions[3 * 5 + 1] = .nan
        #expect(violation(s, n)?.contains("atom 6 (Ar)") == true)
    }

    @Test func overlappingAtomsAreNamed() throws {
        let (s, n) = try state { st in
            for d in 0..<3 { st.configuration.positions[3 * 7 + d] = st.configuration.positions[3 * 2 + d] + 0.1 }
        }
        let message = violation(s, n)
        #expect(message?.contains("overlap") == true && message?.contains("atom 3") == true && message?.contains("atom 8") == true, "\(message ?? "")")
    }

    @Test func runawayTemperatureIsCaught() throws {
        var (s, n) = try state()
        for k in s.configuration.velocities.indices { s.configuration.velocities[k] *= 1000 }
        #expect(violation(s, n)?.contains("ran away") == true)
    }

    @Test func lostAtomIsNamed() throws {
        var (s, n) = try state()
        s.configuration.cell.periodic = [true, true, false]
        s.configuration.positions[3 * 4 + 2] = 1e5
        #expect(violation(s, n)?.contains("atom 5 (Ar) is lost") == true)
    }

    @Test func blownUpRunKeepsTheLastGoodCheckpoint() throws {
        // Hot argon with a time step far too large: a few good steps, then the crystal blows apart.
        // The run must stop with a message naming a step, and the checkpoint (written every step)
        // must still hold an earlier, finite state.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crucible-guard-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let deck = """
        system:
          lattice: {kind: fcc, a: 5.3, repeat: [3, 3, 3], species: Ar}
          velocities: {temperature: 3000}
        potential:
          lj: {cutoff: 8.5, pairs: [{species: [Ar, Ar], epsilon: 0.0104, sigma: 3.4}]}
        md:
          steps: 100
          timestep: 0.02
        output:
          thermo: {every: 1, file: thermo.csv}
          checkpoint: {file: run.chk.h5, every: 1}
        """
        let plan = try decodeDeck(text: deck, fileName: "deck.yaml", baseDirectory: dir)
        var run = try Simulation(plan: plan, options: RunOptions(quiet: true))
        var message = ""
        do { try run.run() } catch { message = "\(error)" }
        #expect(message.contains("step "), "the run did not stop: \(message)")
        let after = try CheckpointFile.read(dir + "/run.chk.h5")
        let step = try after.integer("run/step")
        #expect(step > 0 && message.contains("step \(step + 1)"), "checkpoint at \(step), error: \(message)")
        let state = try MDState(from: after, as: "replica0/bead0/state/")
        #expect(state.configuration.positions.allSatisfy(\.isFinite) && state.evaluation.forces.allSatisfy(\.isFinite))
        #expect(state.temperature < 1e5)
    }
}
