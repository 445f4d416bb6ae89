import Foundation
import Testing
@testable import CrucibleCore

/// Hamiltonian replica exchange: states that differ in potential parameters (a scale λ on one term,
/// a bias's κ and centre) besides temperature and pressure.
@Suite struct HamiltonianExchangeTests {
    /// The criterion, computed from the last evaluations only, equals the log ratio of the
    /// isothermal–isobaric weights exp(−β_s(U_s(x) + P_s V(x))) after and before the swap, where each
    /// cross energy U_s(x) comes here from a fresh evaluation with the other state's parameters.
    @Test func criterionIsTheRatioOfWeightsWithCrossEvaluations() throws {
        let first = rattledCrystal(.fcc, a: 5.4, repeats: [3, 3, 3], symbols: ["Ar"], rattle: 0.25, seed: 4, shear: 0.1)
        let second = rattledCrystal(.fcc, a: 5.5, repeats: [3, 3, 3], symbols: ["Ar"], rattle: 0.35, seed: 9, shear: 0.05)
        let lj = try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.40)], cutoff: 8.5, shift: true,
                                  speciesTable: first.speciesTable)
        let q6 = PinningBias(variable: SteinhardtOrder(weight: CosineSwitch(inner: 3.6, outer: 4.6), selected: [true]), kappa: 1, center: 0)
        let potential = PotentialSum([ScaledPotential(lj, parameter: "lambda", factor: 1), q6])
        #expect(Set(potential.parameterNames) == ["lambda", "q6.kappa", "q6.center"])
        let stateA = ThermodynamicState(index: 0, temperature: 80, pressure: 100, parameters: ["lambda": 1, "q6.kappa": 5, "q6.center": 0.3])
        let stateB = ThermodynamicState(index: 1, temperature: 95, pressure: 300, parameters: ["lambda": 0.8, "q6.kappa": 8, "q6.center": 0.35])
        func replica(_ k: Int, _ state: ThermodynamicState, _ configuration: Configuration) -> Replica {
            var r = Replica(index: k, thermodynamics: state, beads: [MDState(configuration: configuration, random: RandomStream(seed: 1))],
                            evaluators: [Evaluator(potential: potential, skin: 0.5)], monteCarlo: MonteCarloState(random: RandomStream(seed: 1)))
            var evaluator = r.evaluators[0], bead = r.beads[0]
            evaluator.evaluate(&bead.configuration, request: [.energy, .forces], into: &bead.evaluation)
            r.evaluators[0] = evaluator; r.beads[0] = bead
            return r
        }
        let a = replica(0, stateA, first), b = replica(1, stateB, second)
        func energy(_ state: ThermodynamicState, _ configuration: Configuration) -> Double {
            var evaluator = Evaluator(potential: potential, skin: 0.5)
            evaluator.setParameters(state.parameters)
            var c = configuration
            return evaluator.evaluate(&c, request: .energy).energy
        }
        func logWeight(_ s: ThermodynamicState, _ c: Configuration) -> Double {
            -(energy(s, c) + s.pressure! / Units.pressureToBar * c.cell.volume) / s.thermalEnergy
        }
        // Each replica's own energy is its state's.
        #expect(abs(a.beads[0].evaluation.energy - energy(stateA, first)) < 1e-12)
        let direct = logWeight(stateA, second) + logWeight(stateB, first) - logWeight(stateA, first) - logWeight(stateB, second)
        let criterion = ReplicaExchange.logAcceptance(a, b)
        #expect(abs(criterion - direct) < 1e-9 * abs(direct), "criterion \(criterion), direct \(direct)")
        // The Hamiltonian part matters here: without it the criterion would be far off.
        var plainA = a, plainB = b
        plainA.thermodynamics.parameters = [:]; plainB.thermodynamics.parameters = [:]
        #expect(abs(ReplicaExchange.logAcceptance(plainA, plainB) - direct) > 1)
    }

    /// N atoms in harmonic wells scaled by λ_s at one temperature: state s samples U_wells ~
    /// Gamma(3N/2, k_BT/λ_s) exactly. Four states exchange every 10 steps; each state's mean and
    /// variance of U_wells (read from the reported ∂U/∂λ) must be the exact ones, and each pair's
    /// acceptance must equal the one predicted from the exact distributions (sampled independently).
    @Test func lambdaStatesSampleTheirExactDistributions() throws {
        let atoms = 4, temperature = 300.0, lambdas = [1.0, 0.6, 0.36, 0.216]
        let integrator = MDIntegrator(timestep: 0.01, thermostat: .langevin(damping: 0.1))
        let states = lambdas.enumerated().map { ThermodynamicState(index: $0, temperature: temperature, parameters: ["lambda": $1]) }
        var replicas = Replica.inHarmonicWells(atoms: atoms, states: states, seed: 5, integrator: integrator) {
            ScaledPotential($0, parameter: "lambda", factor: 1)
        }
        var exchange = ReplicaExchange(pairing: .alternate, stateCount: 4, random: RandomStream(seed: 5, key: StreamKey(.exchange)))
        var samples = [[Double]](repeating: [], count: 4)
        for step in 1...60_000 {
            for r in replicas.indices { replicas[r].stepBead(integrator) }
            if step % 10 == 0 {
                if step > 2000 {
                    for replica in replicas {
                        let unscaled = replica.beads[0].evaluation.extra("cv.du_dlambda")!
                        let lambda = replica.thermodynamics.parameters["lambda"]!
                        #expect(abs(lambda * unscaled - replica.beads[0].evaluation.energy) < 1e-12)
                        samples[replica.thermodynamics.index].append(unscaled)
                    }
                }
                exchange.round(&replicas, step: step)
            }
        }
        let kT = Units.boltzmann * temperature, shape = 1.5 * Double(atoms)
        for (s, lambda) in lambdas.enumerated() {
            let scale = kT / lambda
            let (mean, error) = blockStatistics(samples[s])
            #expect(abs(mean - shape * scale) < 4 * error, "state \(s): ⟨U⟩ \(mean) ± \(error), exact \(shape * scale)")
            let variance = blockStatistics(samples[s].map { ($0 - shape * scale) * ($0 - shape * scale) })
            #expect(abs(variance.mean - shape * scale * scale) < 4 * variance.error,
                    "state \(s): var \(variance.mean) ± \(variance.error), exact \(shape * scale * scale)")
        }
        var random = RandomStream(seed: 77)
        for s in 0..<3 {
            var sum = 0.0
            let draws = 200_000
            for _ in 0..<draws {
                let us = kT / lambdas[s] * random.gamma(shape: shape), ut = kT / lambdas[s + 1] * random.gamma(shape: shape)
                sum += min(1, exp((lambdas[s] - lambdas[s + 1]) * (us - ut) / kT))
            }
            let predicted = sum / Double(draws), measured = exchange.acceptance(s, s + 1)!
            #expect(exchange.attempted[s * 4 + s + 1] > 2000)
            #expect(abs(measured - predicted) < 0.04, "states \(s)-\(s + 1): measured \(measured), predicted \(predicted)")
            #expect(predicted > 0.2 && predicted < 0.9)
        }
        #expect(exchange.roundTrips.reduce(0, +) > 10)
    }
}
