import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO
@testable import CrucibleML

/// The shipped ML model (Resources/ml/cunipt6_network.json: power spectrum, pair term and network,
/// `crucible fit Inputs/ml/fit_cunipt6.yaml` on the LAMMPS-labelled Cu–Ni–Ag–Au–Pd–Pt set) in NVE MD of a 256-atom Cu–Ni–Ag alloy at 800 K: the
/// conserved energy stays flat, and along the trajectory the model's forces and energies stay close
/// to the EAM potential that labelled its training data (funcfl mixing of the u3 files, as LAMMPS).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_PHYSICS"] == "1")) struct PhysicsMLTests {
    @Test func nveWithTheFittedModelConservesEnergyAndFollowsEAM() throws {
        var c = rattledCrystal(.fcc, a: 3.74, repeats: [4, 4, 4], symbols: ["Cu", "Ni", "Ag", "Cu"], rattle: 0.05, seed: 2)
        var random = RandomStream(seed: 9)
        c.assignMaxwellBoltzmannVelocities(temperature: 1600, random: &random)   // equipartition brings it near 800 K
        c.removeTotalMomentum()
        let model = try ModelFile.read(IOTestResources.path("ml/cunipt6_network.json")).model
        #expect(model.pair != nil && model.network != nil)
        let ml = try MLPotential(model: model, speciesTable: c.speciesTable, name: "cunipt6_network")
        let eam = try EmbeddedAtom(splines: EAMSplines(EAMTables(funcflPaths: ["Cu_u3.eam", "Ni_u3.eam", "Ag_u3.eam"].map(IOTestResources.path),
                                                                 elements: ["Cu", "Ni", "Ag"])), speciesTable: c.speciesTable)
        let dt = 0.002, steps = 2500, atoms = Double(c.count)
        let integrator = FixedStateIntegrator(timestep: dt, ensemble: ThermodynamicState(temperature: 800))
        var state = MDState(configuration: c, random: RandomStream(seed: 1))
        var evaluator = Evaluator(potential: ml, skin: 1.0)
        integrator.prepare(&state, evaluator: &evaluator)
        let e0 = integrator.conservedEnergy(state)
        var times: [Double] = [], energies: [Double] = [], maxDeviation = 0.0
        var forceSquares = 0.0, forceCount = 0, energyDifferences: [Double] = []
        var temperatures: [Double] = []
        var step = 0
        let (_, seconds) = physicsTimed {
            physicsRun(integrator, &state, &evaluator, steps: steps) { s in
                step += 1
                let e = integrator.conservedEnergy(s)
                maxDeviation = max(maxDeviation, abs(e - e0) / atoms)
                guard step % 50 == 0 else { return }
                times.append(Double(step) * dt); energies.append(e / atoms); temperatures.append(s.temperature)
                // The labeller's view of the same frame.
                var frame = s.configuration
                var reference = Evaluator(potential: eam, skin: 0)
                let r = reference.evaluate(&frame, request: [.energy, .forces])
                for k in 0..<r.forces.count { let d = r.forces[k] - s.evaluation.forces[k]; forceSquares += d * d }
                forceCount += r.forces.count
                energyDifferences.append((s.evaluation.energy - r.energy) / atoms)
            }
        }
        let drift = physicsLinearFit(times, energies).slope * 1000          // meV/atom/ps
        let forceRMSE = (forceSquares / Double(forceCount)).squareRoot()
        let meanOffset = energyDifferences.reduce(0, +) / Double(energyDifferences.count)
        let spread = (energyDifferences.map { ($0 - meanOffset) * ($0 - meanOffset) }.reduce(0, +) / Double(energyDifferences.count)).squareRoot()
        let meanT = temperatures.suffix(temperatures.count / 2).reduce(0, +) / Double(temperatures.count / 2)
        print("ML NVE 256 atoms, \(steps) steps of \(dt * 1000) fs in \(String(format: "%.1f", seconds)) s: drift \(String(format: "%.4f", drift)) meV/atom/ps, max |ΔE| \(String(format: "%.2e", maxDeviation)) eV/atom, <T> \(String(format: "%.0f", meanT)) K; against EAM along the run: force RMSE \(String(format: "%.3f", forceRMSE)) eV/Å, energy offset \(String(format: "%.1f", 1000 * meanOffset)) ± \(String(format: "%.1f", 1000 * spread)) meV/atom")
        #expect(meanT > 600 && meanT < 1000, "the run is at ~800 K: \(meanT)")
        #expect(abs(drift) < 0.5, "conserved-energy drift \(drift) meV/atom/ps")
        #expect(maxDeviation < 2e-3, "conserved energy wanders by \(maxDeviation) eV/atom")
        #expect(forceRMSE < 0.1, "force RMSE against EAM along the run \(forceRMSE) eV/Å")
        #expect(abs(meanOffset) < 0.02 && spread < 0.01, "energy difference to EAM: \(meanOffset) ± \(spread) eV/atom")
    }
}
