import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO

/// Langevin (BAOAB) and CSVR are both canonical, so on the same EAM crystal at the same volume and
/// temperature they must give the same distribution of the potential energy: same mean and same
/// variance (which NVE, for comparison, would not: its potential energy fluctuates less). 256 atoms of
/// Cu (Cu_mishin1.eam.alloy) at 600 K, a = 3.64 Å.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_PHYSICS"] == "1")) struct PhysicsThermostatTests {
    /// 200 ps per thermostat after 10 ps: ⟨U⟩ to ~0.03 eV (0.1 meV/atom), ~20 s each in release.
    static let steps = 100_000

    struct Sampled {
        var potential: (mean: Double, error: Double)
        var variance: (variance: Double, error: Double)
        var temperature: (mean: Double, error: Double)
        var seconds: Double
    }

    static func sample(_ thermostat: Thermostat, seed: UInt64) throws -> Sampled {
        let temperature = 600.0
        let c = physicsCopperCrystal(a: 3.64, repeats: 4, temperature: temperature, seed: 5)
        let potential = try PhysicsReference.embeddedAtom(setfl: "Cu_mishin1.eam.alloy", for: c.speciesTable)
        let integrator = FixedStateIntegrator(timestep: 0.002, ensemble: ThermodynamicState(temperature: temperature), thermostat: thermostat)
        var state = MDState(configuration: c, random: RandomStream(seed: seed))
        var evaluator = Evaluator(potential: potential, skin: 1.0)
        var energies: [Double] = [], temperatures: [Double] = []
        let (_, seconds) = physicsTimed {
            integrator.prepare(&state, evaluator: &evaluator)
            physicsRun(integrator, &state, &evaluator, steps: 5_000)  // 10 ps
            physicsRun(integrator, &state, &evaluator, steps: steps, every: 5) { s in
                energies.append(s.evaluation.energy)
                temperatures.append(s.temperature)
            }
        }
        return Sampled(potential: blockStatistics(energies), variance: physicsVarianceStatistics(energies),
                       temperature: blockStatistics(temperatures), seconds: seconds)
    }

    @Test func langevinAndCSVRGiveTheSamePotentialEnergyDistribution() throws {
        let langevin = try Self.sample(.langevin(damping: 0.1), seed: 41)
        let csvr = try Self.sample(.csvr(tau: 0.1), seed: 42)
        let difference = langevin.potential.mean - csvr.potential.mean
        let error = (langevin.potential.error * langevin.potential.error + csvr.potential.error * csvr.potential.error).squareRoot()
        let varianceDifference = langevin.variance.variance - csvr.variance.variance
        let varianceError = (langevin.variance.error * langevin.variance.error + csvr.variance.error * csvr.variance.error).squareRoot()
        print("""
            [physics] NVT 256 Cu (Cu_mishin1) 600 K, a = 3.64 Å, \(Double(Self.steps) * 0.002) ps each: \
            Langevin \(String(format: "%.1f", langevin.seconds)) s, CSVR \(String(format: "%.1f", csvr.seconds)) s
            [physics]   ⟨U⟩ Langevin \(langevin.potential.mean) ± \(langevin.potential.error) eV, CSVR \(csvr.potential.mean) ± \
            \(csvr.potential.error) eV: Δ = \(difference) ± \(error) eV (\(difference / 256 * 1000) meV/atom)
            [physics]   ⟨δU²⟩ Langevin \(langevin.variance.variance) ± \(langevin.variance.error), CSVR \(csvr.variance.variance) ± \
            \(csvr.variance.error) eV²
            [physics]   ⟨T⟩ Langevin \(langevin.temperature.mean) ± \(langevin.temperature.error) K (3N−3 dof count; \
            expect 600·3N/(3N−3) = \(600.0 * 768 / 765)), CSVR \(csvr.temperature.mean) ± \(csvr.temperature.error) K
            """)
        #expect(abs(difference) <= 4 * error, "⟨U⟩ differs by \(difference) ± \(error) eV")
        #expect(abs(varianceDifference) <= 4 * varianceError, "⟨δU²⟩ differs by \(varianceDifference) ± \(varianceError) eV²")
        // Teeth: 4σ must be well below the thermal potential energy scale, (3/2) N k_B T ≈ 19.9 eV.
        #expect(4 * error < 0.01 * 1.5 * 256 * Units.boltzmann * 600)
        // Langevin thermalises 3N degrees of freedom, MDState.temperature counts 3N − 3.
        #expect(abs(langevin.temperature.mean - 600.0 * 768 / 765) <= 4 * langevin.temperature.error)
        #expect(abs(csvr.temperature.mean - 600) <= 4 * csvr.temperature.error)
    }
}
