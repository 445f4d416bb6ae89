@testable import CrucibleEngine

/// Independent 3D harmonic oscillators sampled as ring polymers, and the exact answers they must
/// give. With ω_k = 2 ω_P sin(kπ/P), ω_P = P/(βħ), the P-bead distribution of one Cartesian
/// coordinate is Gaussian in the normal modes with ⟨Q_k²⟩ = P/(β m (ω² + ω_k²)), so (per dimension)
///   ⟨q²⟩_P    = Σ_{k=0}^{P−1} 1 / (β m (ω² + ω_k²))
///   ⟨K_cv⟩_P  = 1/(2β) + (ω²/2β) Σ_{k=1}^{P−1} 1 / (ω² + ω_k²)    (½ + the centroid-virial term)
/// which tend to the quantum values ħ/(2mω) coth(βħω/2) and (ħω/4) coth(βħω/2) as P → ∞, and
/// are the classical 1/(βmω²) and 1/(2β) for P = 1.
struct HarmonicRingPolymer {
    let betaHbarOmega: Double
    let beads: Int
    var atoms = 32
    var temperature = 100.0
    var mass = 2.0

    var beta: Double { 1 / (Units.boltzmann * temperature) }
    /// 1/ps
    var omega: Double { betaHbarOmega / (beta * Units.hbar) }
    /// eV ps²/Å²
    var massEV: Double { mass * Units.kineticToEV }
    var modeFrequencies: [Double] {
        let omegaP = Double(beads) / (beta * Units.hbar)
        return (0..<beads).map { 2 * omegaP * _sinTest(Double($0) * Double.pi / Double(beads)) }
    }

    /// Exact finite-P ⟨q²⟩ per dimension, Å².
    var exactSquaredDisplacement: Double {
        modeFrequencies.map { 1 / (beta * massEV * (omega * omega + $0 * $0)) }.reduce(0, +)
    }

    /// Exact finite-P centroid-virial kinetic energy per atom, eV.
    var exactKineticVirial: Double {
        3 * (0.5 / beta + omega * omega / (2 * beta) * modeFrequencies.dropFirst().map { 1 / (omega * omega + $0 * $0) }.reduce(0, +))
    }

    /// Quantum (P → ∞) values: ⟨q²⟩ per dimension and kinetic energy per atom.
    var quantumSquaredDisplacement: Double { Units.hbar / (2 * massEV * omega) / _tanhTest(betaHbarOmega / 2) }
    var quantumKinetic: Double { 0.75 * Units.hbar * omega / _tanhTest(betaHbarOmega / 2) }

    /// Runs `steps` steps (dt = 0.05/ω; centroid Langevin with γ = ω; internal modes PILE λ = 1)
    /// and returns the samples (every 10 steps after the first 10%) of the bead-averaged q² per
    /// dimension and of the centroid-virial kinetic energy per atom.
    func sample(steps: Int, seed: UInt64 = 5, propagator: RingPolymer.Propagator = .exact, threads: Int = 1)
        -> (squared: [Double], kinetic: [Double]) {
        var table = SpeciesTable(); _ = table.add("H"); table.setMass(mass, for: "H")
        let sites: [Double] = (0..<atoms).flatMap { i -> [Double] in [Double(i % 8) * 5 + 5, Double(i / 8) * 5 + 5, 20] }
        let start = Configuration(cell: .orthorhombic(45, 45, 45), positions: sites, species: [Int32](repeating: 0, count: atoms),
                                  speciesTable: table)
        let wells = HarmonicWells(sites: sites, stiffness: massEV * omega * omega)
        let ring = RingPolymer(beads: beads, propagator: propagator, lambda: 1, thermostatCentroid: true)
        let integrator = MDIntegrator(timestep: 0.05 / omega, thermostat: .langevin(damping: 1 / omega), pathIntegral: ring)
        var replica = Replica(index: 0, thermodynamics: ThermodynamicState(temperature: temperature),
                              beads: (0..<beads).map { MDState(configuration: start, random: RandomStream(seed: seed, key: StreamKey(.dynamics, bead: $0))) },
                              evaluators: (0..<beads).map { _ in Evaluator(potential: wells, skin: 1) },
                              monteCarlo: MonteCarloState(random: RandomStream(seed: seed)))
        replica.beadWorkers = Workers(threads: threads)
        integrator.prepare(&replica, request: [.forces])
        var squared: [Double] = [], kinetic: [Double] = []
        for step in 1...steps {
            integrator.advance(&replica, request: [.forces, .energy])
            guard step % 10 == 0, step > steps / 10 else { continue }
            var sum = 0.0
            for bead in replica.beads { for k in sites.indices { let d = bead.configuration.positions[k] - sites[k]; sum += d * d } }
            squared.append(sum / Double(beads * 3 * atoms))
            kinetic.append(RingPolymerEstimators(replica, ring: ring).kineticVirial / Double(atoms))
        }
        return (squared, kinetic)
    }
}

#if canImport(Glibc)
import Glibc
#endif
func _sinTest(_ x: Double) -> Double { sin(x) }
func _tanhTest(_ x: Double) -> Double { tanh(x) }
