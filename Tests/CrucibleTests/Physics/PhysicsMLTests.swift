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

    /// The published HEA25 model (Inputs/ml/hea25/published) in MD of an equimolar 25-element bcc
    /// alloy (250 atoms, 10 of each element in random order): 10 ps of Langevin dynamics at 1,000 K,
    /// in which no two atoms come closer than 1.5 Å (a model trained on the 137 structures here fused
    /// atoms within 10 ps), then 2 ps of NVE, in which the conserved energy stays flat.
    @Test func publishedHEA25ModelKeepsA25ElementAlloyStableFor10ps() throws {
        let symbols = ["Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Y", "Zr", "Nb", "Mo", "Ru", "Rh", "Pd", "Ag",
                       "Lu", "Hf", "Ta", "W", "Ir", "Pt", "Au"]
        var c = rattledCrystal(.bcc, a: 3.21, repeats: [5, 5, 5], symbols: symbols, rattle: 0.02, seed: 4)
        var random = RandomStream(seed: 12)
        for k in stride(from: c.species.count - 1, to: 0, by: -1) { c.species.swapAt(k, Int(random.next() % UInt64(k + 1))) }
        #expect(Set(c.species).count == 25 && c.count == 250)
        c.assignMaxwellBoltzmannVelocities(temperature: 1000, random: &random)
        c.removeTotalMomentum()
        let model = try ModelFile.read(PublishedHEA25ModelTests.modelPath).model
        let dt = 0.002, atoms = Double(c.count)
        var state = MDState(configuration: c, random: RandomStream(seed: 1))
        var evaluator = Evaluator(potential: try MLPotential(model: model, speciesTable: c.speciesTable, name: "hea25_published"),
                                  skin: 0.5, threads: 2)
        // 10 ps at 1,000 K (Langevin), probing for close pairs every 100 steps.
        let langevin = FixedStateIntegrator(timestep: dt, ensemble: ThermodynamicState(temperature: 1000), thermostat: .langevin(damping: 0.1))
        langevin.prepare(&state, evaluator: &evaluator)
        var temperatures: [Double] = [], closePairs = 0, probes = 0, step = 0
        let (_, seconds) = physicsTimed {
            physicsRun(langevin, &state, &evaluator, steps: 5000) { s in
                step += 1
                temperatures.append(s.temperature)
                guard step % 100 == 0 else { return }
                var frame = s.configuration
                var list = NeighborList(cutoff: 1.5, skin: 0)       // its half list: the pairs closer than 1.5 Å
                list.update(&frame)
                closePairs += list.neighbors.count
                probes += 1
            }
        }
        let meanT = temperatures.suffix(4000).reduce(0, +) / 4000
        // 2 ps of NVE from there.
        let nve = FixedStateIntegrator(timestep: dt, ensemble: ThermodynamicState(temperature: 1000))
        nve.prepare(&state, evaluator: &evaluator)
        let e0 = nve.conservedEnergy(state)
        var times: [Double] = [], energies: [Double] = [], maxDeviation = 0.0
        step = 0
        physicsRun(nve, &state, &evaluator, steps: 1000) { s in
            step += 1
            let e = nve.conservedEnergy(s)
            maxDeviation = max(maxDeviation, abs(e - e0) / atoms)
            if step % 20 == 0 { times.append(Double(step) * dt); energies.append(e / atoms) }
        }
        let drift = physicsLinearFit(times, energies).slope * 1000          // meV/atom/ps
        print("HEA25 published model, 250-atom 25-element bcc: 10 ps Langevin at 1,000 K in \(String(format: "%.1f", seconds)) s, <T> \(String(format: "%.1f", meanT)) K (last 8 ps), pairs closer than 1.5 Å: \(closePairs) in \(probes) frames; then 2 ps NVE: drift \(String(format: "%.4f", drift)) meV/atom/ps, max |ΔE| \(String(format: "%.2e", maxDeviation)) eV/atom")
        #expect(probes == 50 && closePairs == 0, "\(closePairs) pairs within 1.5 Å")
        #expect(abs(meanT - 1000) < 50, "the run is at 1,000 K: \(meanT)")
        #expect(abs(drift) < 0.5, "conserved-energy drift \(drift) meV/atom/ps")
        #expect(maxDeviation < 2e-3, "conserved energy wanders by \(maxDeviation) eV/atom")
    }
}
