import Foundation
import Testing
@testable import CrucibleEngine

/// Thermostatted ring-polymer MD (`preset: trpmd`: PILE on the internal modes with λ = 1/2, the
/// centroid free) on 3D harmonic oscillators, where its correlation functions are known exactly:
/// - the centroid of a harmonic ring polymer is decoupled from the other modes and moves as a free
///   classical oscillator, so its autocorrelation is ⟨x_c²⟩ cos(ωt) (RPMD's Kubo-transformed
///   position autocorrelation, exact for harmonic systems): no damping at all;
/// - internal mode k is a Langevin oscillator of frequency Ω_k = √(ω_k² + ω²) with TRPMD's friction
///   γ_k = 2λω_k = ω_k, whose autocorrelation is e^{−γt/2} (cos Ω′t + γ/(2Ω′) sin Ω′t),
///   Ω′ = √(Ω_k² − γ²/4).
/// The same run with the centroid thermostatted (PILE-L) damps the centroid: the check can fail.
@Suite struct TRPMDTests {
    static let beads = 8, atoms = 32

    /// Autocorrelations (normalised, lags 0..<lags) of the centroid and of normal modes 1 and 4 (cos
    /// components) of every coordinate, over a TRPMD run after PILE-L equilibration.
    static func correlations(thermostatCentroid: Bool, steps: Int, lags: Int) -> (system: HarmonicRingPolymer, dt: Double, centroid: [Double], modes: [Int: [Double]]) {
        let system = HarmonicRingPolymer(betaHbarOmega: 4, beads: beads, atoms: atoms)
        var table = SpeciesTable(); _ = table.add("H"); table.setMass(system.mass, for: "H")
        let sites: [Double] = (0..<atoms).flatMap { i -> [Double] in [Double(i % 8) * 5 + 5, Double(i / 8) * 5 + 5, 20] }
        let start = Configuration(cell: .orthorhombic(45, 45, 45), positions: sites, species: [Int32](repeating: 0, count: atoms), speciesTable: table)
        let wells = HarmonicWells(sites: sites, stiffness: system.massEV * system.omega * system.omega)
        let dt = 0.05 / system.omega
        let pile = MDIntegrator(timestep: dt, thermostat: .langevin(damping: 1 / system.omega),
                                pathIntegral: RingPolymer(beads: beads, lambda: 1, thermostatCentroid: true))
        let trpmd = MDIntegrator(timestep: dt, thermostat: .langevin(damping: 1 / system.omega),
                                 pathIntegral: RingPolymer(beads: beads, lambda: 0.5, thermostatCentroid: thermostatCentroid))
        var replica = Replica(index: 0, thermodynamics: ThermodynamicState(temperature: system.temperature),
                              beads: (0..<beads).map { MDState(configuration: start, random: RandomStream(seed: 3, key: StreamKey(.dynamics, bead: $0))) },
                              evaluators: (0..<beads).map { _ in Evaluator(potential: wells, skin: 1) },
                              monteCarlo: MonteCarloState(random: RandomStream(seed: 3)))
        pile.prepare(&replica, request: [.forces])
        for _ in 0..<2000 { pile.advance(&replica, request: [.forces]) }
        trpmd.prepare(&replica, request: [.forces])
        // Series per coordinate: centroid, and the cos components of modes 1 and 4.
        let n = 3 * atoms
        var series: [Int: [[Double]]] = [0: [], 1: [], 4: []]
        for _ in 0..<steps {
            trpmd.advance(&replica, request: [.forces])
            for k in [0, 1, 4] {
                var row = [Double](repeating: 0, count: n)
                for (b, bead) in replica.beads.enumerated() {
                    let weight = cos(2 * Double.pi * Double(k * b) / Double(beads))
                    for q in 0..<n { row[q] += weight * (bead.configuration.positions[q] - sites[q]) }
                }
                series[k]!.append(row)
            }
        }
        func autocorrelation(_ x: [[Double]]) -> [Double] {
            var c = [Double](repeating: 0, count: lags)
            for lag in 0..<lags {
                var sum = 0.0
                // Time origins every 4 steps (the samples are correlated over many more).
                for t in stride(from: 0, to: x.count - lags, by: 4) { for q in 0..<n { sum += x[t][q] * x[t + lag][q] } }
                c[lag] = sum
            }
            return c.map { $0 / c[0] }
        }
        return (system, dt, autocorrelation(series[0]!), [1: autocorrelation(series[1]!), 4: autocorrelation(series[4]!)])
    }

    @Test func centroidIsFreeAndInternalModesCarryTRPMDFriction() {
        let lags = 200
        let (system, dt, centroid, modes) = Self.correlations(thermostatCentroid: false, steps: 20_000, lags: lags)
        let omega = system.omega
        // Velocity Verlet's own frequency for the centroid: cos θ = 1 − (ω dt)²/2.
        let theta = acos(1 - 0.5 * omega * omega * dt * dt)
        let centroidWorst = (0..<lags).map { abs(centroid[$0] - cos(Double($0) * theta)) }.max()!
        #expect(centroidWorst < 0.03, "centroid autocorrelation against cos(ωt): max deviation \(centroidWorst)")
        #expect(centroid[Int((Double.pi / theta).rounded())] < -0.95, "half a period later the centroid is anticorrelated: \(centroid[Int((Double.pi / theta).rounded())])")
        let omegaP = Double(Self.beads) / (system.beta * Units.hbar)
        for (k, c) in modes {
            let omegaK = 2 * omegaP * sin(Double(k) * Double.pi / Double(Self.beads))
            let gamma = omegaK   // 2 λ ω_k with λ = 1/2
            let big = (omegaK * omegaK + omega * omega).squareRoot()
            let prime = (big * big - gamma * gamma / 4).squareRoot()
            let exact = (0..<lags).map { lag -> Double in
                let t = Double(lag) * dt
                return exp(-gamma * t / 2) * (cos(prime * t) + gamma / (2 * prime) * sin(prime * t))
            }
            let worst = zip(c, exact).map { abs($0 - $1) }.max()!
            #expect(worst < 0.03, "mode \(k): autocorrelation against the Langevin oscillator with γ = ω_k: max deviation \(worst)")
        }
        // With the centroid thermostatted (PILE-L, γ = ω), the centroid's correlation decays.
        let damped = Self.correlations(thermostatCentroid: true, steps: 5_000, lags: lags).centroid
        let period = Int((2 * Double.pi / theta).rounded())
        #expect(damped[period] < 0.6, "a thermostatted centroid loses its correlation within a period: \(damped[period])")
        #expect(centroid[period] > 0.95)
    }
}
