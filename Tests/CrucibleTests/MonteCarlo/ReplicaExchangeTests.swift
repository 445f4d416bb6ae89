import Foundation
import Testing
@testable import CrucibleCore

/// Replica exchange on a system with a known distribution: N atoms in 3D harmonic wells, so the
/// potential energy at temperature T is Gamma(3N/2, k_BT) distributed. Four replicas under
/// Langevin dynamics (BAOAB samples a harmonic potential's configurations exactly) exchange states
/// every 10 steps. Each state's energy mean and variance must equal the exact ones, and the
/// measured acceptance of each neighbouring pair must equal the acceptance predicted from the two
/// exact energy distributions (computed independently by sampling Gamma deviates).
@Suite struct ReplicaExchangeTests {
    /// E = ½ k Σ |x − x₀|² with every atom tied to its starting site.
    @Test func statesSampleTheirExactDistributionsAndAcceptanceMatchesTheOverlap() throws {
        let atoms = 4, temperatures = [300.0, 380, 480, 600]
        let integrator = MDIntegrator(timestep: 0.01, thermostat: .langevin(damping: 0.1))
        var replicas = Replica.inHarmonicWells(atoms: atoms, states: temperatures.enumerated().map { ThermodynamicState(index: $0, temperature: $1) },
                                               seed: 3, integrator: integrator) { $0 }
        var exchange = ReplicaExchange(pairing: .alternate, stateCount: 4, random: RandomStream(seed: 3, key: StreamKey(.exchange)))
        var energies = [[Double]](repeating: [], count: 4)
        let steps = 60_000
        for step in 1...steps {
            for r in replicas.indices {
                replicas[r].stepBead(integrator)
            }
            if step % 10 == 0 {
                if step > 2000 {
                    for replica in replicas { energies[replica.thermodynamics.index].append(replica.beads[0].evaluation.energy) }
                }
                exchange.round(&replicas, step: step)
            }
        }
        let dof = Double(3 * atoms)
        for (s, t) in temperatures.enumerated() {
            let kT = Units.boltzmann * t
            let (mean, error) = blockStatistics(energies[s])
            #expect(abs(mean - 0.5 * dof * kT) < 4 * error, "state \(s): ⟨U⟩ \(mean) ± \(error), exact \(0.5 * dof * kT)")
            let variance = blockStatistics(energies[s].map { ($0 - 0.5 * dof * kT) * ($0 - 0.5 * dof * kT) })
            #expect(abs(variance.mean - 0.5 * dof * kT * kT) < 4 * variance.error,
                    "state \(s): var U \(variance.mean) ± \(variance.error), exact \(0.5 * dof * kT * kT)")
        }
        // Predicted acceptance: E[min(1, exp((β_s − β_t)(U_s − U_t)))] over independent exact distributions.
        var random = RandomStream(seed: 99)
        for s in 0..<3 {
            let kTs = Units.boltzmann * temperatures[s], kTt = Units.boltzmann * temperatures[s + 1]
            var sum = 0.0
            let samples = 200_000
            for _ in 0..<samples {
                let us = kTs * random.gamma(shape: 0.5 * dof), ut = kTt * random.gamma(shape: 0.5 * dof)
                sum += min(1, exp((1 / kTs - 1 / kTt) * (us - ut)))
            }
            let predicted = sum / Double(samples)
            let measured = exchange.acceptance(s, s + 1)!
            let attempts = exchange.attempted[s * 4 + s + 1]
            #expect(attempts > 2000)
            #expect(abs(measured - predicted) < 0.04, "states \(s)-\(s + 1): measured \(measured), predicted \(predicted)")
            #expect(predicted > 0.2 && predicted < 0.9)
        }
        #expect(exchange.roundTrips.reduce(0, +) > 10)
    }
}

extension Replica {
    /// One replica per state of `atoms` atoms tied to sites 10 Å apart by unit springs
    /// (`HarmonicWells`, passed through `wrap`), prepared for `integrator`; streams keyed by replica.
    static func inHarmonicWells(atoms: Int, states: [ThermodynamicState], seed: UInt64, integrator: MDIntegrator,
                                wrap: (HarmonicWells) -> any Potential) -> [Replica] {
        var table = SpeciesTable(); _ = table.add("Ar")
        let positions: [Double] = (0..<atoms).flatMap { i -> [Double] in [10.0 * Double(i) + 5, 5, 5] }
        let start = Configuration(cell: .orthorhombic(40, 40, 40), positions: positions, species: [Int32](repeating: 0, count: atoms),
                                  speciesTable: table)
        let potential = wrap(HarmonicWells(sites: positions, stiffness: 1.0))
        return states.enumerated().map { k, state in
            var replica = Replica(index: k, thermodynamics: state,
                                  beads: [MDState(configuration: start, random: RandomStream(seed: seed, key: StreamKey(.dynamics, replica: k)))],
                                  evaluators: [Evaluator(potential: potential, skin: 0.5)],
                                  monteCarlo: MonteCarloState(random: RandomStream(seed: seed, key: StreamKey(.alloy, replica: k))))
            replica.prepareBead(integrator)
            return replica
        }
    }

    mutating func prepareBead(_ integrator: MDIntegrator) { integrator.prepare(&beads[0], evaluator: &evaluators[0]) }
    mutating func stepBead(_ integrator: MDIntegrator) {
        integrator.step(&beads[0], at: thermodynamics, evaluator: &evaluators[0], request: [.energy, .forces])
    }
}

/// The exchange criterion equals the log ratio of the isothermal–isobaric Boltzmann weights
/// w_s(x) = exp(−β_s(U(x) + P_s V(x))) after and before the swap, computed here directly.
@Suite struct ExchangeCriterionTests {
    @Test func criterionIsTheRatioOfNPTWeights() {
        var table = SpeciesTable(); _ = table.add("Ar")
        func replica(_ k: Int, temperature: Double, pressure: Double, energy: Double, edge: Double) -> Replica {
            var state = MDState(configuration: Configuration(cell: .orthorhombic(edge, edge, edge), positions: [0, 0, 0], species: [0],
                                                             speciesTable: table), random: RandomStream(seed: 1))
            state.evaluation.energy = energy
            return Replica(index: k, thermodynamics: ThermodynamicState(index: k, temperature: temperature, pressure: pressure),
                           beads: [state], evaluators: [Evaluator(potential: HarmonicWells(sites: [0, 0, 0], stiffness: 1), skin: 0.1)],
                           monteCarlo: MonteCarloState(random: RandomStream(seed: 1)))
        }
        let a = replica(0, temperature: 500, pressure: 2_000, energy: -101.3, edge: 20.0)
        let b = replica(1, temperature: 650, pressure: 15_000, energy: -99.1, edge: 20.4)
        func logWeight(_ s: ThermodynamicState, _ r: Replica) -> Double {
            -(r.beads[0].evaluation.energy + s.pressure! / Units.pressureToBar * r.beads[0].configuration.cell.volume) / s.thermalEnergy
        }
        let direct = logWeight(a.thermodynamics, b) + logWeight(b.thermodynamics, a) - logWeight(a.thermodynamics, a) - logWeight(b.thermodynamics, b)
        #expect(abs(ReplicaExchange.logAcceptance(a, b) - direct) < 1e-9 * abs(direct))
        // Without pressures the PV term drops out.
        var a2 = a, b2 = b
        a2.thermodynamics.pressure = nil; b2.thermodynamics.pressure = nil
        let betaA = 1 / a.thermodynamics.thermalEnergy, betaB = 1 / b.thermodynamics.thermalEnergy
        #expect(abs(ReplicaExchange.logAcceptance(a2, b2) - (betaA - betaB) * (-101.3 + 99.1)) < 1e-12)
    }

    /// Ring polymers: the criterion equals the log ratio of the P-bead weights
    /// w_T(x) = exp(−β/P [Σ_j V_j + Σ_j Σ_i ½ m_i ω_P(T)² |q_ij − q_i,j+1|²]), ω_P(T) = P k_B T/ħ,
    /// computed here bead by bead.
    @Test func ringPolymerCriterionIsTheRatioOfRingPolymerWeights() {
        let beads = 4, atoms = 3
        var table = SpeciesTable(); _ = table.add("H"); _ = table.add("He")
        func replica(_ k: Int, temperature: Double, seed: UInt64) -> Replica {
            var random = RandomStream(seed: seed)
            let start = Configuration(cell: .orthorhombic(20, 20, 20), positions: (0..<(3 * atoms)).map { _ in 10 + random.normal() },
                                      species: [0, 1, 1], speciesTable: table)
            let states = (0..<beads).map { _ -> MDState in
                var bead = start
                for c in bead.positions.indices { bead.positions[c] += 0.1 * random.normal() }
                var state = MDState(configuration: bead, random: RandomStream(seed: 1))
                state.evaluation.energy = -2 + 0.3 * random.normal()
                return state
            }
            return Replica(index: k, thermodynamics: ThermodynamicState(index: k, temperature: temperature), beads: states,
                           evaluators: states.map { _ in Evaluator(potential: HarmonicWells(sites: [], stiffness: 1), skin: 0.1) },
                           monteCarlo: MonteCarloState(random: RandomStream(seed: 1)))
        }
        let a = replica(0, temperature: 40, seed: 2), b = replica(1, temperature: 70, seed: 3)
        func logWeight(_ s: ThermodynamicState, _ r: Replica) -> Double {
            let omegaP = Double(beads) * Units.boltzmann * s.temperature / Units.hbar
            var energy = 0.0
            for j in 0..<beads {
                energy += r.beads[j].evaluation.energy
                let x = r.beads[j].configuration, y = r.beads[(j + 1) % beads].configuration
                for i in 0..<atoms {
                    let m = table.masses[Int(x.species[i])] * Units.kineticToEV
                    for d in 0..<3 { let link = x.positions[3 * i + d] - y.positions[3 * i + d]; energy += 0.5 * m * omegaP * omegaP * link * link }
                }
            }
            return -energy / (Double(beads) * s.thermalEnergy)
        }
        let direct = logWeight(a.thermodynamics, b) + logWeight(b.thermodynamics, a) - logWeight(a.thermodynamics, a) - logWeight(b.thermodynamics, b)
        #expect(abs(ReplicaExchange.logAcceptance(a, b) - direct) < 1e-9 * abs(direct), "\(ReplicaExchange.logAcceptance(a, b)) vs \(direct)")
        #expect(abs(direct) > 0.1)
    }
}
