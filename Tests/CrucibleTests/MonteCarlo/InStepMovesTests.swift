import Foundation
import Testing
@testable import CrucibleEngine

/// Species moves made inside the MD step, between the drift and the force evaluation: the local ΔE
/// (from densities brought to the drifted positions) equals full evaluations, the step's one
/// evaluation, starting from the densities the accepted trials moved on, gives the forces of the new
/// species, and no second evaluation is made.
@Suite struct InStepMovesTests {
    static let deck = """
    seed: 4
    system:
      lattice: {kind: fcc, a: 3.58, repeat: [3, 3, 3], composition: {Cu: 54, Ni: 54}}
      velocities: {temperature: 900}
    potential:
      eam: {file: CuNi.eam.alloy}
    md:
      steps: 30
      timestep: 0.002
      thermostat:
        langevin: {temperature: 900, damping: 0.1}
    """

    /// A local term without the fast path: its species-change energies come from `localEnergy`.
    struct WithoutFastPath: Potential, LocalEnergy {
        var inner: EmbeddedAtom
        var name: String { "without fast path" }
        var cutoff: Double { inner.cutoff }
        mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                               workers: Workers, into result: inout PotentialResult) {
            inner.evaluate(configuration, neighbors: neighbors, request: request, workers: workers, into: &result)
        }
        func localEnergy(of atoms: UnsafeBufferPointer<Int>, neighbors: NeighborList) -> Double {
            inner.localEnergy(of: atoms, neighbors: neighbors)
        }
    }

    /// With the fast path (EAM alone) the step's evaluation starts from the prepared densities; when
    /// a term lacks it (a sum with `WithoutFastPath` first, so EAM never stages a trial), every trial
    /// falls back to local energies and the step's evaluation computes the densities afresh.
    @Test(arguments: [(1, true), (4, true), (1, false)])
    func movesInsideTheStepNeedOneEvaluationAndMatchFullEnergies(beads: Int, fastPath: Bool) throws {
        let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Resources").path
        let simulation = try Simulation(plan: try decodeDeck(text: Self.deck, fileName: "deck.yaml", baseDirectory: resources))
        let eam = try #require(simulation.potential as? EmbeddedAtom)
        let potential: any Potential = fastPath ? eam : PotentialSum([WithoutFastPath(inner: eam), eam])
        let start = simulation.configuration
        let integrator = MDIntegrator(timestep: 0.002, thermostat: .langevin(damping: 0.1),
                                      pathIntegral: beads > 1 ? RingPolymer(beads: beads) : nil)
        var replica = Replica(index: 0, thermodynamics: ThermodynamicState(temperature: 900),
                              beads: (0..<beads).map { MDState(configuration: start, random: RandomStream(seed: 4, key: StreamKey(.dynamics, bead: $0))) },
                              evaluators: (0..<beads).map { _ in Evaluator(potential: potential, skin: 0.5) },
                              monteCarlo: MonteCarloState(random: RandomStream(seed: 4, key: StreamKey(.alloy))))
        integrator.prepare(&replica, request: [.forces])
        let move = SemiGrandMove(chemicalPotentials: [(0, 0), (1, 0.1)])
        var failure: (any Error)?
        let steps = 30
        var stepsWithAcceptedTrials = 0, largestDifference = 0.0
        for _ in 0..<steps {
            let acceptedBefore = replica.monteCarlo.statistics["semi_grand"]?.accepted ?? 0
            integrator.advance(&replica, request: [.forces, .energy]) { replica in
                // Every trial is checked against a full evaluation at the drifted positions: stale
                // densities (no `prepareSpeciesChanges`) fail here.
                do { try MonteCarloStage.run(move, attempts: 20, on: &replica, checkEvery: 1, placement: .beforeForces, request: []) } catch { failure = error }
            }
            if (replica.monteCarlo.statistics["semi_grand"]?.accepted ?? 0) > acceptedBefore { stepsWithAcceptedTrials += 1 }
            // The step's evaluation started from the densities the trials moved on (no first pass):
            // it equals a full evaluation of the new species at these positions to rounding.
            for b in 0..<beads {
                var same = replica.evaluators[b], again = PotentialResult()
                same.evaluateAtCurrentPositions(replica.beads[b].configuration, request: [.forces, .energy], into: &again)
                largestDifference = max(largestDifference, abs(again.energy - replica.beads[b].evaluation.energy),
                                        zip(again.forces, replica.beads[b].evaluation.forces).map { abs($0 - $1) }.max()!)
            }
        }
        #expect(failure == nil, "\(String(describing: failure))")
        let statistics = try #require(replica.monteCarlo.statistics["semi_grand"])
        #expect(statistics.accepted > 0 && statistics.checked == statistics.attempted)
        #expect(stepsWithAcceptedTrials >= 5)
        #expect(largestDifference < 1e-11, "largest difference \(largestDifference)")
        #expect(replica.beads[0].configuration.species != start.species)
        for b in 0..<beads {
            // One evaluation per step besides the first (the self-check evaluates on copies), each
            // from the prepared state exactly when every trial took the fast path.
            #expect(replica.evaluators[b].evaluations == 1 + steps)
            #expect(replica.evaluators[b].evaluationsFromPreparedState == (fastPath ? steps : 0))
            // And to rounding with a list built afresh.
            var fresh = Evaluator(potential: potential, skin: 0.5)
            var configuration = replica.beads[b].configuration
            let result = fresh.evaluate(&configuration, request: [.forces, .energy])
            #expect(abs(result.energy - replica.beads[b].evaluation.energy) < 1e-10)
            #expect(zip(result.forces, replica.beads[b].evaluation.forces).allSatisfy { abs($0 - $1) < 1e-10 })
        }
    }
}
