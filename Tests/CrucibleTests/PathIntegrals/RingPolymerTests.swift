import Foundation
import Testing
@testable import CrucibleEngine

/// Ring-polymer molecular dynamics: the normal-mode transform, one bead equal to classical MD bit
/// for bit, harmonic oscillators against their exact finite-P statistics, energy conservation of
/// the free (unthermostatted) ring polymer, and independence of the thread count.
@Suite struct RingPolymerTests {
    @Test(arguments: [1, 2, 5, 8])
    func normalModesAreOrthogonalAndDiagonaliseTheSprings(beads: Int) {
        let modes = NormalModes(beads: beads)
        for a in 0..<beads {
            for b in 0..<beads {
                let dot = (0..<beads).map { modes.matrix[$0 * beads + a] * modes.matrix[$0 * beads + b] }.reduce(0, +)
                #expect(abs(dot - (a == b ? 1 : 0)) < 1e-12)
            }
        }
        // Σ_j (q_j − q_{j+1})² = Σ_k (ω_k/ω_P)² Q_k² for any ring of values.
        var random = RandomStream(seed: 3)
        let q = (0..<beads).map { _ in random.normal() }
        var modeValues = [Double](repeating: 0, count: beads)
        q.withUnsafeBufferPointer { q in modeValues.withUnsafeMutableBufferPointer { m in modes.toModes(q.baseAddress!, m.baseAddress!, columns: 1) } }
        let springs = (0..<beads).map { j in (q[j] - q[(j + 1) % beads]) * (q[j] - q[(j + 1) % beads]) }.reduce(0, +)
        let diagonal = (0..<beads).map { modes.frequencyFactors[$0] * modes.frequencyFactors[$0] * modeValues[$0] * modeValues[$0] }.reduce(0, +)
        #expect(abs(springs - diagonal) < 1e-12 * max(1, springs))
        #expect(abs(modeValues[0] - q.reduce(0, +) / Double(beads).squareRoot()) < 1e-12)
    }

    /// One bead without thermostat: the ring-polymer step is velocity Verlet, bit for bit.
    @Test func oneBeadIsClassicalVelocityVerletBitwise() throws {
        var table = SpeciesTable(); _ = table.add("Ar")
        let (cell, positions) = Lattice(kind: .fcc, a: 5.3, repeats: [3, 3, 3]).build()
        var start = Configuration(cell: cell, positions: positions, species: [Int32](repeating: 0, count: positions.count / 3), speciesTable: table)
        var random = RandomStream(seed: 4)
        start.assignMaxwellBoltzmannVelocities(temperature: 120, random: &random)
        let lj = try LennardJones(pairs: [.init("Ar", "Ar", epsilon: 0.0104, sigma: 3.4)], cutoff: 8.0, shift: false, speciesTable: table)
        func replica() -> Replica {
            Replica(index: 0, thermodynamics: ThermodynamicState(temperature: 120), beads: [MDState(configuration: start, random: RandomStream(seed: 1))],
                    evaluators: [Evaluator(potential: lj, skin: 0.5)], monteCarlo: MonteCarloState(random: RandomStream(seed: 1)))
        }
        let classical = MDIntegrator(timestep: 0.004)
        let ringPolymer = MDIntegrator(timestep: 0.004, pathIntegral: RingPolymer(beads: 1, lambda: 0, thermostatCentroid: false))
        var a = replica(), b = replica()
        classical.prepare(&a, request: [.forces])
        ringPolymer.prepare(&b, request: [.forces])
        for _ in 0..<300 {
            classical.advance(&a, request: [.forces])
            ringPolymer.advance(&b, request: [.forces])
        }
        #expect(a.beads[0].configuration.positions != start.positions)
        #expect(a.beads[0].configuration.positions == b.beads[0].configuration.positions)
        #expect(a.beads[0].configuration.velocities == b.beads[0].configuration.velocities)
    }

    /// βħω = 4, P = 8: ⟨q²⟩ and the centroid-virial kinetic energy within 4 block errors of the exact
    /// finite-P values (the long grid over βħω and P is in the physics stage).
    @Test func harmonicOscillatorsSampleTheExactFiniteBeadStatistics() {
        let system = HarmonicRingPolymer(betaHbarOmega: 4, beads: 8, atoms: 16)
        let (squared, kinetic) = system.sample(steps: 6000)
        let q2 = ShortRangeOrderOperation.blockAverage(squared), k = ShortRangeOrderOperation.blockAverage(kinetic)
        #expect(abs(q2.mean - system.exactSquaredDisplacement) < 4 * q2.error, "⟨q²⟩ \(q2) vs exact \(system.exactSquaredDisplacement)")
        #expect(abs(k.mean - system.exactKineticVirial) < 4 * k.error, "K_cv \(k) vs exact \(system.exactKineticVirial)")
        // The quantum effect is resolved: the classical values are far outside the error bars.
        let classical = HarmonicRingPolymer(betaHbarOmega: 4, beads: 1)
        #expect(abs(q2.mean - classical.exactSquaredDisplacement) > 10 * q2.error)
        #expect(abs(k.mean - classical.exactKineticVirial) > 10 * k.error)
    }

    /// Without thermostats the ring polymer conserves H_P; the exact and Cayley propagators both do.
    @Test(arguments: [RingPolymer.Propagator.exact, .cayley])
    func freeRingPolymerConservesItsEnergy(propagator: RingPolymer.Propagator) throws {
        var table = SpeciesTable(); _ = table.add("Ne")
        let (cell, positions) = Lattice(kind: .fcc, a: 4.46, repeats: [3, 3, 3]).build()
        var start = Configuration(cell: cell, positions: positions, species: [Int32](repeating: 0, count: positions.count / 3), speciesTable: table)
        var random = RandomStream(seed: 8)
        start.assignMaxwellBoltzmannVelocities(temperature: 8 * 20, random: &random)
        let lj = try LennardJones(pairs: [.init("Ne", "Ne", epsilon: 0.0031, sigma: 2.74)], cutoff: 6.5, shift: true, speciesTable: table)
        let ring = RingPolymer(beads: 8, propagator: propagator, lambda: 0, thermostatCentroid: false)
        let integrator = MDIntegrator(timestep: 0.001, thermostat: .langevin(damping: 0.1), pathIntegral: ring)
        var replica = Replica(index: 0, thermodynamics: ThermodynamicState(temperature: 20),
                              beads: (0..<8).map { b in
                                  var c = start
                                  var r = RandomStream(seed: 9, key: StreamKey(.velocities, bead: b))
                                  c.assignMaxwellBoltzmannVelocities(temperature: 8 * 20, random: &r)
                                  return MDState(configuration: c, random: RandomStream(seed: 1, key: StreamKey(.dynamics, bead: b)))
                              },
                              evaluators: (0..<8).map { _ in Evaluator(potential: lj, skin: 0.5) }, monteCarlo: MonteCarloState(random: RandomStream(seed: 1)))
        integrator.prepare(&replica, request: [.forces, .energy, .virial])
        let first = RingPolymerEstimators(replica, ring: ring)
        var largest = 0.0
        for _ in 0..<2000 {
            integrator.advance(&replica, request: [.forces, .energy, .virial])
            largest = max(largest, abs(RingPolymerEstimators(replica, ring: ring).conserved - first.conserved))
        }
        let estimators = RingPolymerEstimators(replica, ring: ring)
        #expect(estimators.spring > 0.01 * first.kineticVirial, "the springs are stretched: \(estimators.spring)")
        #expect(replica.beads[0].bathEnergy == 0)
        // Fluctuation of H_P per bead over 2 ps relative to the kinetic energy of the 108 atoms (shifted
        // LJ: the energy is continuous at the cutoff).
        #expect(largest < 2e-3 * first.kineticVirial, "max |ΔH_P/P| \(largest) eV")
    }

    /// Beads in parallel give the bits of beads in series.
    @Test func threadCountDoesNotChangeTheBits() {
        let system = HarmonicRingPolymer(betaHbarOmega: 4, beads: 6, atoms: 4)
        let one = system.sample(steps: 300, threads: 1), two = system.sample(steps: 300, threads: 2)
        #expect(one.squared == two.squared && one.kinetic == two.kinetic)
    }
}
