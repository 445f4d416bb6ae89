import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleEngine

/// Thermostatted ring-polymer MD against i-PI (Resources/reference/trpmd_argon: i-PI 3.3.1 with
/// LAMMPS forces, 2 × 15 segments of 20 ps): liquid argon, 108 atoms, 86 K, 8 beads, 2 fs. The same
/// protocol: 10 ps of PILE-L (λ = 1, centroid Langevin τ = 0.1 ps), then segments of 20 ps of TRPMD
/// (internal modes at γ_k = ω_k, λ = 0.5; the centroid free) each followed by 5 ps of PILE-L. Each
/// segment is one block: the centroid velocity autocorrelation C(t) over atoms and time origins (centroid
/// velocities relative to their centre of mass, as i-PI's `fixcom` removes it), C(t)/C(0) every
/// 10 fs to 1 ps, D = ⅓∫₀^1ps C dt and the centroid temperature m C(0)/3k_B. They agree with i-PI
/// within 4 combined standard errors at 0.1, 0.2, 0.3, 0.5 and 1 ps, and over the whole curve
/// (χ² per lag below 2.5: a loose bound, as neighbouring lags are strongly correlated). A thermostat on the centroid (PILE-L's τ = 0.1 ps) damps C(t) far beyond these
/// errors, so the comparison tests the dynamics, not only the distribution.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_PHYSICS"] == "1")) struct PhysicsTRPMDTests {
    @Test func liquidArgonVelocityAutocorrelationAgreesWithIPI() throws {
        let reference = try PhysicsReference.json("trpmd_argon/reference.json")
        let results = try #require((reference["results"] as? [String: Any])?["P8"] as? [String: Any])
        let vacf = try #require(results["vacf"] as? [String: Any])
        let lags = try #require(vacf["lag_ps"] as? [Double])
        let refRatio = try #require(vacf["C_over_C0_mean"] as? [Double]), refRatioError = try #require(vacf["C_over_C0_sem"] as? [Double])
        func stat(_ key: String) throws -> (mean: Double, error: Double) {
            let entry = try #require(results[key] as? [String: Any])
            return (try #require(entry["mean"] as? Double), try #require(entry["sem"] as? Double))
        }

        let (start, lj) = try PhysicsPathIntegralTests.liquidArgon()
        let n = start.count, beads = 8, temperature = 86.0, dt = 0.002
        let mass = start.speciesTable.masses[0]
        let pile = MDIntegrator(timestep: dt, thermostat: .langevin(damping: 0.1), pathIntegral: RingPolymer(beads: beads))
        let trpmd = MDIntegrator(timestep: dt, thermostat: .langevin(damping: 0.1),
                                 pathIntegral: RingPolymer(beads: beads, lambda: 0.5, thermostatCentroid: false))
        var replica = PhysicsPathIntegralTests.thermalRings(start, beads: beads, state: ThermodynamicState(temperature: temperature),
                                                            potential: lj, seed: 2718)
        let request: PotentialRequest = [.forces]
        pile.prepare(&replica, request: request)
        let segments = 20, segmentSteps = 10_000, lagStride = 5   // lags every 10 fs
        let lagCount = lags.count
        #expect(abs(lags[1] - Double(lagStride) * dt) < 1e-12)
        var ratios: [[Double]] = [], diffusion: [Double] = [], centroidTemperature: [Double] = []
        let (_, seconds) = physicsTimed {
            for _ in 0..<5000 { pile.advance(&replica, request: request) }
            var frames = [Double](repeating: 0, count: segmentSteps * 3 * n)
            for _ in 0..<segments {
                for step in 0..<segmentSteps {
                    // Frame 0 is the segment's start, as i-PI's first frame.
                    Self.centroidVelocities(replica, into: &frames, frame: step)
                    trpmd.advance(&replica, request: request)
                }
                let c = Self.autocorrelation(frames, frames: segmentSteps, components: 3 * n, lags: lagCount, stride: lagStride)
                ratios.append(c.map { $0 / c[0] })
                // ⅓∫₀^1ps C dt, trapezoid on the 10 fs grid.
                diffusion.append((c.dropFirst().enumerated().map { 0.5 * (c[$0.offset] + $0.element) }.reduce(0, +))
                                 * Double(lagStride) * dt / 3)
                centroidTemperature.append(mass * Units.kineticToEV * c[0] / (3 * Units.boltzmann))
                for _ in 0..<2500 { pile.advance(&replica, request: request) }
            }
        }
        // Each segment is one block: mean and standard error over the segments.
        func blocks(_ values: [Double]) -> (mean: Double, error: Double) { BlockAverage.of(values, blocks: values.count) }
        let ratio = (0..<lagCount).map { lag in blocks(ratios.map { $0[lag] }) }
        let d = blocks(diffusion), t = blocks(centroidTemperature)
        let refD = try stat("D_vacf_tmax_1ps"), refT = try stat("T_centroid_K")
        let chi2 = (1..<lagCount).map { lag -> Double in
            let e2 = ratio[lag].error * ratio[lag].error + refRatioError[lag] * refRatioError[lag]
            return (ratio[lag].mean - refRatio[lag]) * (ratio[lag].mean - refRatio[lag]) / e2
        }.reduce(0, +) / Double(lagCount - 1)
        var line = String(format: "TRPMD argon vs i-PI (%.0f s, %d segments): D %.4f ± %.4f Å²/ps (i-PI %.4f ± %.4f); T_centroid %.1f ± %.1f K (i-PI %.1f ± %.1f); χ²/lag of C/C0 %.2f;",
                          seconds, segments, d.mean, d.error, refD.mean, refD.error, t.mean, t.error, refT.mean, refT.error, chi2)
        for time in [0.1, 0.2, 0.3, 0.5, 1.0] {
            let lag = Int((time / (Double(lagStride) * dt)).rounded())
            line += String(format: " C/C0(%.1f ps) %.4f ± %.4f (i-PI %.4f ± %.4f)", time, ratio[lag].mean, ratio[lag].error, refRatio[lag], refRatioError[lag])
            #expect(PhysicsPathIntegralTests.agree(ratio[lag], (refRatio[lag], refRatioError[lag])), "C/C0 at \(time) ps")
        }
        print(line)
        #expect(PhysicsPathIntegralTests.agree(d, refD), "D \(d) vs i-PI \(refD)")
        #expect(PhysicsPathIntegralTests.agree(t, refT), "T_centroid \(t) vs i-PI \(refT)")
        #expect(chi2 < 2.5, "χ²/lag \(chi2)")
    }

    /// Bead-averaged velocities of every atom minus their mean over atoms (the centroid's centre of
    /// mass: one species, equal masses), into frame `frame` of `frames`.
    static func centroidVelocities(_ replica: Replica, into frames: inout [Double], frame: Int) {
        var velocities = [Double](repeating: 0, count: replica.beads.count * replica.beads[0].configuration.velocities.count)
        replica.gatherVelocities(into: &velocities)
        let centroid = Replica.beadAverage(velocities, beads: replica.beads.count), n = centroid.count / 3
        var com = SIMD3<Double>.zero
        for i in 0..<n { for c in 0..<3 { com[c] += centroid[3 * i + c] } }
        com /= Double(n)
        for i in 0..<n { for c in 0..<3 { frames[3 * (frame * n + i) + c] = centroid[3 * i + c] - com[c] } }
    }

    /// C(lag·stride) for lag < `lags`: ⟨v(t0)·v(t0 + τ)⟩ over every origin t0 with t0 + τ inside the
    /// segment, per atom (the dot product summed over its three components).
    static func autocorrelation(_ v: [Double], frames: Int, components: Int, lags: Int, stride: Int) -> [Double] {
        v.withUnsafeBufferPointer { v in
            (0..<lags).map { lag in
                let tau = lag * stride, origins = frames - tau
                var sum = 0.0
                for t0 in 0..<origins {
                    let a = v.baseAddress! + t0 * components, b = v.baseAddress! + (t0 + tau) * components
                    for k in 0..<components { sum += a[k] * b[k] }
                }
                return sum / Double(origins * components / 3)
            }
        }
    }
}
