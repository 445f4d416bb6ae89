import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO

/// Stochastic cell rescaling (Bernetti & Bussi 2020) with a Langevin thermostat on a small EAM Cu
/// crystal (256 atoms, Cu_mishin1.eam.alloy, 600 K, 10 kbar — a non-zero target so that a sign error in
/// P₀ cannot hide): the barostat must give ⟨P⟩ = P₀ and the NPT volume fluctuations
/// ⟨δV²⟩ = k_B T V κ_T, with κ_T measured independently from NVT runs at two volumes,
/// κ_T = −(1/V) ΔV/Δ⟨P⟩. With only z free: ⟨P_zz⟩ = P₀, x and y untouched, and
/// ⟨δ(ln L_z)²⟩ = k_B T/(V C_zz), C_zz = −∂⟨P_zz⟩/∂ln L_z at fixed x, y (again from two NVT runs).
///
/// Why these relations: in ε = ln V (or ln L_z) the scheme is an overdamped Langevin equation whose
/// stationary law is V e^{−β(H + P₀V)} dε = e^{−β(H + P₀V)} dV, the isothermal–isobaric ensemble.
/// Then ⟨P⟩ = P₀ exactly (∫ ∂_V e^{−β(F + P₀V)} dV = 0) and, Gaussian to leading order in 1/N,
/// ⟨δV²⟩ = k_B T ∂⟨V⟩/∂P = k_B T V κ_T. The pressure is the instantaneous one, kinetic part included
/// (Langevin thermalises all 3N degrees of freedom, so ⟨2K⟩ = 3N k_B T as the virial theorem assumes).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_PHYSICS"] == "1")) struct PhysicsBarostatTests {
    static let temperature = 600.0
    /// bar
    static let target = 10_000.0
    /// ps
    static let dt = 0.002
    static let sampleEvery = 5

    static func potential(_ c: Configuration) throws -> EmbeddedAtom {
        try PhysicsReference.embeddedAtom(setfl: "Cu_mishin1.eam.alloy", for: c.speciesTable)
    }

    /// Mean pressure tensor component(s) of an NVT (Langevin) run of `configuration` as it is.
    static func nvtPressure(_ configuration: Configuration, component: Int?, seed: UInt64,
                            equilibration: Int, steps: Int) throws -> (mean: Double, error: Double) {
        let integrator = FixedStateIntegrator(timestep: dt, ensemble: ThermodynamicState(temperature: temperature),
                                      thermostat: .langevin(damping: 0.1))
        var state = MDState(configuration: configuration, random: RandomStream(seed: seed, stream: 3))
        var evaluator = Evaluator(potential: try potential(configuration), skin: 1.0)
        integrator.prepare(&state, evaluator: &evaluator)
        physicsRun(integrator, &state, &evaluator, steps: equilibration)
        var pressures: [Double] = []
        physicsRun(integrator, &state, &evaluator, steps: steps, every: sampleEvery) { s in
            pressures.append(component.map { s.pressureTensor[$0] } ?? s.pressure)
        }
        return blockStatistics(pressures)
    }

    /// `configuration` with its cell and positions scaled by `scale` along each Cartesian axis.
    static func scaled(_ configuration: Configuration, _ scale: [Double]) -> Configuration {
        var c = configuration
        for i in 0..<c.count { for d in 0..<3 { c.positions[3 * i + d] *= scale[d] } }
        for r in 0..<3 { for d in 0..<3 { c.cell.matrix[3 * r + d] *= scale[d] } }
        return c
    }

    @Test func isotropicBarostatGivesTargetPressureAndVolumeFluctuations() throws {
        let start = physicsCopperCrystal(a: 3.62, repeats: 4, temperature: Self.temperature, seed: 11)
        let npt = FixedStateIntegrator(timestep: Self.dt, ensemble: ThermodynamicState(temperature: Self.temperature, pressure: Self.target),
                               thermostat: .langevin(damping: 0.1),
                               barostat: Barostat(coupling: .isotropic, tau: 0.2, compressibility: 7e-7))
        var state = MDState(configuration: start, random: RandomStream(seed: 21))
        var evaluator = Evaluator(potential: try Self.potential(start), skin: 1.0)
        var volumes: [Double] = [], pressures: [Double] = []
        let (_, seconds) = physicsTimed {
            npt.prepare(&state, evaluator: &evaluator)
            physicsRun(npt, &state, &evaluator, steps: 10_000)  // 20 ps
            physicsRun(npt, &state, &evaluator, steps: Self.nptSteps, every: Self.sampleEvery) { s in
                volumes.append(s.configuration.cell.volume)
                pressures.append(s.pressure)
            }
        }
        let pressure = blockStatistics(pressures)
        let volume = blockStatistics(volumes)
        let fluctuation = physicsVarianceStatistics(volumes)

        // κ_T from NVT at ⟨V⟩(1 ± δ), starting from the last NPT configuration scaled affinely.
        let delta = 0.005
        var last = state.configuration
        let toMean = _pow(volume.mean / last.cell.volume, 1.0 / 3)
        last = Self.scaled(last, [toMean, toMean, toMean])
        let up = _pow(1 + delta, 1.0 / 3), down = _pow(1 - delta, 1.0 / 3)
        let (nvt, nvtSeconds) = try physicsTimed {
            (try Self.nvtPressure(Self.scaled(last, [up, up, up]), component: nil, seed: 31, equilibration: 2500, steps: Self.nvtSteps),
             try Self.nvtPressure(Self.scaled(last, [down, down, down]), component: nil, seed: 32, equilibration: 2500, steps: Self.nvtSteps))
        }
        let dP = (nvt.0.mean - nvt.1.mean) / Units.pressureToBar  // eV/Å³
        let dPError = (nvt.0.error * nvt.0.error + nvt.1.error * nvt.1.error).squareRoot() / Units.pressureToBar
        let kappa = -(2 * delta) / dP  // Å³/eV (1/(eV/Å³))
        let kappaRelativeError = abs(dPError / dP)
        let kT = Units.boltzmann * Self.temperature
        let predicted = kT * volume.mean * kappa
        let ratio = fluctuation.variance / predicted
        let ratioError = ratio * ((fluctuation.error / fluctuation.variance) * (fluctuation.error / fluctuation.variance)
                                  + kappaRelativeError * kappaRelativeError).squareRoot()

        print("""
            [physics] SCR isotropic + Langevin, 256 Cu (Cu_mishin1), 600 K, P0 = \(Self.target) bar: \
            NPT \(String(format: "%.1f", seconds)) s, NVT \(String(format: "%.1f", nvtSeconds)) s
            [physics]   ⟨P⟩ = \(pressure.mean) ± \(pressure.error) bar; ⟨V⟩ = \(volume.mean) ± \(volume.error) Å³ \
            (a = \(_pow(volume.mean / 64, 1.0 / 3)) Å)
            [physics]   NVT ⟨P⟩ at V(1 ± \(delta)): \(nvt.0.mean) ± \(nvt.0.error), \(nvt.1.mean) ± \(nvt.1.error) bar → \
            κ_T = \(kappa / Units.pressureToBar * 1e6) ± \(kappaRelativeError * kappa / Units.pressureToBar * 1e6) 1/Mbar \
            (B = \(1 / kappa * Units.pressureToBar / 1e4) GPa)
            [physics]   ⟨δV²⟩ = \(fluctuation.variance) ± \(fluctuation.error) Å⁶, k_B T V κ_T = \(predicted) Å⁶: \
            ratio \(ratio) ± \(ratioError)
            """)
        #expect(abs(pressure.mean - Self.target) <= 4 * pressure.error, "⟨P⟩ \(pressure.mean) ± \(pressure.error) vs \(Self.target) bar")
        #expect(abs(ratio - 1) <= 4 * ratioError && abs(ratio - 1) <= 0.25, "⟨δV²⟩/(kTVκ) = \(ratio) ± \(ratioError)")
        #expect(ratioError <= 0.08, "the check must have teeth: ratio error \(ratioError)")
    }

    @Test func uniaxialBarostatMovesOnlyZ() throws {
        // Lateral size fixed near the 600 K, 10 kbar lattice constant; z starts 1% long.
        var start = physicsCopperCrystal(a: 3.625, repeats: 4, temperature: Self.temperature, seed: 12)
        start = Self.scaled(start, [1, 1, 1.01])
        let npt = FixedStateIntegrator(timestep: Self.dt, ensemble: ThermodynamicState(temperature: Self.temperature, pressure: Self.target),
                               thermostat: .langevin(damping: 0.1),
                               barostat: Barostat(coupling: .anisotropic(axes: [2]), tau: 0.2, compressibility: 7e-7))
        var state = MDState(configuration: start, random: RandomStream(seed: 22))
        var evaluator = Evaluator(potential: try Self.potential(start), skin: 1.0)
        var lengths: [Double] = [], pzz: [Double] = [], pxx: [Double] = []
        var lateralChanged = false
        let (_, seconds) = physicsTimed {
            npt.prepare(&state, evaluator: &evaluator)
            physicsRun(npt, &state, &evaluator, steps: 10_000)
            physicsRun(npt, &state, &evaluator, steps: Self.nptSteps, every: Self.sampleEvery) { s in
                let h = s.configuration.cell.matrix, h0 = start.cell.matrix
                if h[0] != h0[0] || h[4] != h0[4] || h[1] != 0 || h[2] != 0 || h[3] != 0 || h[5] != 0 || h[6] != 0 || h[7] != 0 {
                    lateralChanged = true
                }
                lengths.append(h[8])
                let p = s.pressureTensor
                pzz.append(p[2]); pxx.append(0.5 * (p[0] + p[1]))
            }
        }
        let pressure = blockStatistics(pzz), lateral = blockStatistics(pxx)
        let length = blockStatistics(lengths)
        let logLengths = lengths.map { _log($0) }
        let fluctuation = physicsVarianceStatistics(logLengths)

        // C_zz = −∂⟨P_zz⟩/∂ln L_z at fixed x, y from NVT at ⟨L_z⟩(1 ± δ).
        let delta = 0.005
        var last = state.configuration
        last = Self.scaled(last, [1, 1, length.mean / last.cell.matrix[8]])
        let nvt = (try Self.nvtPressure(Self.scaled(last, [1, 1, 1 + delta]), component: 2, seed: 33, equilibration: 2500, steps: Self.nvtSteps),
                   try Self.nvtPressure(Self.scaled(last, [1, 1, 1 - delta]), component: 2, seed: 34, equilibration: 2500, steps: Self.nvtSteps))
        let dLog = _log((1 + delta) / (1 - delta))
        let stiffness = -(nvt.0.mean - nvt.1.mean) / Units.pressureToBar / dLog  // eV/Å³
        let stiffnessRelativeError = (nvt.0.error * nvt.0.error + nvt.1.error * nvt.1.error).squareRoot()
            / abs(nvt.0.mean - nvt.1.mean)
        let volume = last.cell.volume
        let predicted = Units.boltzmann * Self.temperature / (volume * stiffness)
        let ratio = fluctuation.variance / predicted
        let ratioError = ratio * ((fluctuation.error / fluctuation.variance) * (fluctuation.error / fluctuation.variance)
                                  + stiffnessRelativeError * stiffnessRelativeError).squareRoot()
        print("""
            [physics] SCR z only + Langevin, 256 Cu, 600 K, P0 = \(Self.target) bar: \(String(format: "%.1f", seconds)) s; \
            x, y changed: \(lateralChanged)
            [physics]   ⟨P_zz⟩ = \(pressure.mean) ± \(pressure.error) bar, ⟨(P_xx + P_yy)/2⟩ = \(lateral.mean) ± \(lateral.error) bar, \
            ⟨L_z⟩ = \(length.mean) ± \(length.error) Å (L_x = L_y = \(start.cell.matrix[0]) Å)
            [physics]   C_zz = \(stiffness * Units.pressureToBar / 1e4) GPa ± \(100 * stiffnessRelativeError)%; \
            ⟨δ ln L_z²⟩ = \(fluctuation.variance) ± \(fluctuation.error), k_B T/(V C_zz) = \(predicted): ratio \(ratio) ± \(ratioError)
            """)
        #expect(!lateralChanged, "only z may change")
        #expect(abs(pressure.mean - Self.target) <= 4 * pressure.error, "⟨P_zz⟩ \(pressure.mean) ± \(pressure.error) vs \(Self.target) bar")
        #expect(abs(ratio - 1) <= 4 * ratioError && abs(ratio - 1) <= 0.25, "⟨δ ln L_z²⟩ ratio \(ratio) ± \(ratioError)")
        #expect(ratioError <= 0.08, "the check must have teeth: ratio error \(ratioError)")
    }

    /// 800 ps of NPT after 20 ps of equilibration: the volume decorrelates in ~τ = 0.2 ps, so ⟨δV²⟩ is
    /// known to ~2.5% and ⟨P⟩ to ~130 bar (~90 s each in release on one core).
    static let nptSteps = 400_000
    /// 50 ps of NVT per volume after 5 ps: ⟨P⟩ to ~80 bar, κ_T or C_zz to ~1%.
    static let nvtSteps = 25_000
}
