import Foundation
import Testing
@testable import CrucibleEngine
@testable import CrucibleCore

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
        // The FFT transform (scaled as `NormalModes` says) equals Cᵀ q, and its inverse gives q back;
        // Σ_j (q_j − q_{j+1})² = Σ_k (ω_k/ω_P)² Q_k² for any ring of values. Two columns.
        var random = RandomStream(seed: 3)
        var q = (0..<(2 * beads)).map { _ in random.normal() }
        var transformed = [Double](repeating: 0, count: 2 * beads)
        let plans = NormalModePlans(beads: beads, columns: 2)
        q.withUnsafeMutableBufferPointer { q in transformed.withUnsafeMutableBufferPointer { m in plans.toModes(q.baseAddress!, m.baseAddress!) } }
        for column in 0..<2 {
            let values = (0..<beads).map { q[2 * $0 + column] }
            let modeValues = (0..<beads).map { modes.forwardScale[$0] * transformed[2 * $0 + column] }
            for k in 0..<beads {
                let direct = (0..<beads).map { modes.matrix[$0 * beads + k] * values[$0] }.reduce(0, +)
                #expect(abs(modeValues[k] - direct) < 1e-12)
            }
            let springs = (0..<beads).map { j in (values[j] - values[(j + 1) % beads]) * (values[j] - values[(j + 1) % beads]) }.reduce(0, +)
            let diagonal = (0..<beads).map { modes.frequencyFactors[$0] * modes.frequencyFactors[$0] * modeValues[$0] * modeValues[$0] }.reduce(0, +)
            #expect(abs(springs - diagonal) < 1e-12 * max(1, springs))
            #expect(abs(modeValues[0] - values.reduce(0, +) / Double(beads).squareRoot()) < 1e-12)
        }
        var h = (0..<(2 * beads)).map { modes.forwardScale[$0 / 2] * modes.inverseScale[$0 / 2] * transformed[$0] }
        var back = [Double](repeating: 0, count: 2 * beads)
        h.withUnsafeMutableBufferPointer { h in back.withUnsafeMutableBufferPointer { b in plans.toBeads(h.baseAddress!, b.baseAddress!) } }
        for c in q.indices { #expect(abs(back[c] - q[c]) < 1e-12) }
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
        let q2 = BlockAverage.of(squared), k = BlockAverage.of(kinetic)
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

    /// Swaps of whole ring polymers between a light (H, 1.008 amu) and a heavy species (He given
    /// 2.016 amu: whole-ring swaps between very different masses are rarely accepted, since the
    /// springs hold the mass) in soft and stiff harmonic wells. The wells do not depend on the species, so only the springs (which hold the
    /// mass) make the quantum light atom prefer the soft wells; classically every arrangement is
    /// equally likely. Exact P-bead weight of a mass m in a well of stiffness k, per arrangement:
    /// Π_k' (m ω_k'² + k)^(−3/2) (the mass-only prefactors cancel in a swap), so with j light atoms in
    /// the 4 soft wells P(j) ∝ C(4, j)² R^j, R = w(H, soft) w(He, stiff) / (w(H, stiff) w(He, soft)).
    @Test func swapsOfRingPolymersSampleTheQuantumArrangementOfMasses() throws {
        let beads = 4, temperature = 100.0
        var table = SpeciesTable(); _ = table.add("H"); _ = table.add("He"); table.setMass(2.016, for: "He")
        let beta = 1 / (Units.boltzmann * temperature)
        let mass = table.masses.map { $0 * Units.kineticToEV }
        let soft = mass[0] * pow(4 / (beta * Units.hbar), 2), stiff = 4 * soft   // ħω(H, soft) = 4 k_B T
        let sites: [Double] = (0..<8).flatMap { i -> [Double] in [Double(i) * 5 + 5, 20, 20] }
        let stiffness: [Double] = (0..<24).map { $0 / 3 < 4 ? soft : stiff }
        let start = Configuration(cell: .orthorhombic(45, 45, 45), positions: sites, species: [0, 1, 0, 1, 0, 1, 0, 1], speciesTable: table)
        let omegaP = Double(beads) / (beta * Units.hbar)
        func logWeight(_ m: Double, _ k: Double) -> Double {
            (0..<beads).map { q in let w = 2 * omegaP * sin(Double(q) * Double.pi / Double(beads)); return -1.5 * log(m * w * w + k) }.reduce(0, +)
        }
        let r = exp(logWeight(mass[0], soft) + logWeight(mass[1], stiff) - logWeight(mass[0], stiff) - logWeight(mass[1], soft))
        let binomial = [1.0, 4, 6, 4, 1]
        let weights = (0...4).map { binomial[$0] * binomial[$0] * pow(r, Double($0)) }
        let exact = (0...4).map { Double($0) * weights[$0] }.reduce(0, +) / weights.reduce(0, +)

        let ring = RingPolymer(beads: beads, lambda: 1, thermostatCentroid: true)
        let integrator = MDIntegrator(timestep: 0.001, thermostat: .langevin(damping: 0.05), pathIntegral: ring)
        let wells = HarmonicWells(sites: sites, stiffnesses: stiffness)
        var replica = Replica(index: 0, thermodynamics: ThermodynamicState(temperature: temperature),
                              beads: (0..<beads).map { MDState(configuration: start, random: RandomStream(seed: 12, key: StreamKey(.dynamics, bead: $0))) },
                              evaluators: (0..<beads).map { _ in Evaluator(potential: wells, skin: 1) },
                              monteCarlo: MonteCarloState(random: RandomStream(seed: 12, key: StreamKey(.alloy))))
        integrator.prepare(&replica, request: [.forces])
        let swap = SwapMove(allPairsOf: table)
        var lightInSoftWells: [Double] = []
        for step in 1...20_000 {
            integrator.advance(&replica, request: [.forces])
            guard step % 10 == 0 else { continue }
            try MonteCarloStage.run(swap, attempts: 4, on: &replica, checkEvery: 50, request: [.forces])
            for b in 1..<beads { #expect(replica.beads[b].configuration.species == replica.beads[0].configuration.species) }
            if step > 1000 { lightInSoftWells.append(Double((0..<4).filter { replica.beads[0].configuration.species[$0] == 0 }.count)) }
        }
        let sampled = BlockAverage.of(lightInSoftWells)
        let statistics = try #require(replica.monteCarlo.statistics["swap"])
        #expect(statistics.accepted > 100 && statistics.accepted < statistics.attempted)
        #expect(abs(sampled.mean - exact) < 4 * sampled.error, "⟨j⟩ \(sampled) vs exact \(exact) (R = \(r))")
        // The quantum preference is resolved: the classical ⟨j⟩ = 2 is far outside the error.
        #expect(abs(sampled.mean - 2) > 6 * sampled.error, "⟨j⟩ \(sampled), R = \(r)")
    }
}
