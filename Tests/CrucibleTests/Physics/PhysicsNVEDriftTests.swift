import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO

/// Energy conservation of velocity Verlet with EAM Cu (Cu_u3.eam, 4000 atoms, 600 K, dt = 1 fs,
/// 10 ps) against the same run in LAMMPS (reference/nve_drift_Cu_u3.json: same start positions and
/// velocities, mass 63.55, `neighbor 1.0 bin`, `fix nve`). The run uses the mass that makes our
/// equations of motion LAMMPS's exactly (see below), so the trajectories stay together to ~1e-8 in
/// the potential energy for the whole 10 ps and the figures are directly comparable.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_PHYSICS"] == "1")) struct PhysicsNVEDriftTests {
    /// dt = 1 fs for 10 ps (the check asked for) and dt = 2 fs for 10 ps (LAMMPS ran both).
    @Test(arguments: ["dt_1fs", "dt_2fs"])
    func energyDriftOfCopperMatchesLAMMPS(_ run: String) throws {
        let reference = try PhysicsReference.json("nve_drift_Cu_u3.json")
        let runs = try #require(reference["runs"] as? [String: Any])
        let lammps = try #require(runs[run] as? [String: Any])
        let dt = try #require(lammps["dt_ps"] as? Double)
        let steps = try #require(lammps["nsteps"] as? Int)
        let sampleEvery = try #require(lammps["sample_every_steps"] as? Int)
        let lammpsSlope = try #require(lammps["drift_slope_meV_per_atom_per_ps"] as? Double)
        let lammpsMax = try #require(lammps["max_abs_dE_per_atom_eV_all_steps"] as? Double)
        let lammpsMaxSampled = try #require(lammps["max_abs_dE_per_atom_eV_sampled"] as? Double)
        let firstSteps = try #require(lammps["first_steps_every_step"] as? [[String: Any]])
        let samples = try #require(lammps["samples"] as? [[String: Any]])
        let lammpsSampledPotential = try samples.map { try #require($0["potential_eV"] as? Double) }
        // Our fit on LAMMPS's own samples must give LAMMPS's slope (checks the analysis, not the engine).
        let lammpsTimes = try samples.map { try #require($0["time_ps"] as? Double) }
        let lammpsEnergies = try samples.map { try #require($0["total_eV"] as? Double) / 4000 }
        let refit = physicsLinearFit(lammpsTimes, lammpsEnergies).slope * 1000
        #expect(abs(refit - lammpsSlope) <= 1e-6 * abs(lammpsSlope) + 1e-12, "refit \(refit) vs \(lammpsSlope)")
        let lammpsPotential = try firstSteps.map { try #require($0["potential_eV"] as? Double) }
        let lammpsTotal = try firstSteps.map { try #require($0["total_eV"] as? Double) }
        let mass = try #require(reference["mass_amu"] as? Double)  // 63.55, from Cu_u3.eam

        let lammpsConstants = try #require(reference["lammps_constants"] as? [String: Any])
        let lammpsMvv2e = try #require(lammpsConstants["mvv2e"] as? Double)
        let start = try PhysicsReference.configuration("nve_drift_Cu_u3_start.extxyz")
        #expect(start.count == 4000)

        // Masses. The start file has no masses column, so Configuration(frame:) gives Cu its standard
        // mass 63.546; LAMMPS took 63.55 from the funcfl file. LAMMPS also converts m v² to eV with its
        // own constant mvv2e = 1.0364269e-4, ours (CODATA 2018) is 1.0364269656e-4, 6.3e-8 larger:
        // the same "63.55" is, to our integrator, a 6.3e-8 heavier atom. The mass that gives LAMMPS's
        // dynamics exactly (same m·mvv2e, hence same accelerations and kinetic energies) is:
        let lammpsMass = mass * lammpsMvv2e / Units.kineticToEV
        func firstPotentials(mass: Double, steps: Int) throws -> [Double] {
            var c = start
            c.speciesTable.setMass(mass, for: "Cu")
            let potential = try PhysicsReference.embeddedAtom(funcfl: "Cu_u3.eam", element: "Cu", for: c.speciesTable)
            let integrator = FixedStateIntegrator(timestep: dt, ensemble: ThermodynamicState(temperature: 600))
            var state = MDState(configuration: c, random: RandomStream(seed: 1))
            var evaluator = Evaluator(potential: potential, skin: 1.0)
            integrator.prepare(&state, evaluator: &evaluator)
            var potentials = [state.evaluation.energy]
            physicsRun(integrator, &state, &evaluator, steps: steps) { potentials.append($0.evaluation.energy) }
            return potentials
        }
        // With the nominal 63.55 the trajectories separate only through that 6.3e-8.
        let nominal = try firstPotentials(mass: mass, steps: 100)
        let nominalWorst = zip(nominal, lammpsPotential).map { abs($0 - $1) / abs($1) }.max()!
        #expect(nominalWorst <= 1e-8, "PE with m = 63.55 differs from LAMMPS by \(nominalWorst) (relative) within 100 steps")

        var configuration = start
        configuration.speciesTable.setMass(lammpsMass, for: "Cu")
        let potential = try PhysicsReference.embeddedAtom(funcfl: "Cu_u3.eam", element: "Cu", for: configuration.speciesTable)
        let atoms = Double(configuration.count)

        let integrator = FixedStateIntegrator(timestep: dt, ensemble: ThermodynamicState(temperature: 600))
        var state = MDState(configuration: configuration, random: RandomStream(seed: 1))
        var evaluator = Evaluator(potential: potential, skin: 1.0)
        integrator.prepare(&state, evaluator: &evaluator)
        let startTemperature = state.temperature
        let e0 = integrator.conservedEnergy(state)
        var potentials = [state.evaluation.energy]
        var sampleTimes = [0.0], sampleEnergies = [e0], samplePotentials = [state.evaluation.energy]
        var maxDeviation = 0.0
        let (_, seconds) = physicsTimed {
            physicsRun(integrator, &state, &evaluator, steps: steps) { s in
                let e = integrator.conservedEnergy(s)
                maxDeviation = max(maxDeviation, abs(e - e0))
                if s.step <= 100 { potentials.append(s.evaluation.energy) }
                if s.step % sampleEvery == 0 { sampleTimes.append(s.time); sampleEnergies.append(e); samplePotentials.append(s.evaluation.energy) }
            }
        }
        let fit = physicsLinearFit(sampleTimes, sampleEnergies.map { $0 / atoms })
        let slope = fit.slope * 1000, slopeError = fit.slopeError * 1000  // meV/atom/ps
        let maxPerAtom = maxDeviation / atoms
        let maxSampled = sampleEnergies.map { abs($0 - e0) / atoms }.max()!

        // Trajectory-level agreement before chaos: potential energy at steps 0…100.
        let relative = zip(potentials, lammpsPotential).map { abs($0 - $1) / abs($1) }
        let worst = relative.max()!
        let worstStep = relative.firstIndex(of: worst)!

        // How long the two trajectories stay together (no assertion: chaos is allowed to win).
        let divergence = zip(samplePotentials, lammpsSampledPotential).map { abs($0 - $1) / abs($1) }
        let byPicosecond = stride(from: 10, through: 100, by: 10).map { String(format: "%.1e", divergence[$0]) }

        print("""
            [physics] NVE Cu_u3 4000 atoms, \(run), \(steps) steps: \(String(format: "%.1f", seconds)) s, \
            \(evaluator.neighbors.buildCount) list builds incl. the first (LAMMPS: 0 rebuilds), T(0) = \(startTemperature) K
            [physics]   E(0) = \(e0) eV (LAMMPS \(lammpsTotal[0]), Δ = \(e0 - lammpsTotal[0]) eV)
            [physics]   drift slope \(slope) ± \(slopeError) meV/atom/ps (LAMMPS \(lammpsSlope))
            [physics]   max |E(t) − E(0)|/N all steps \(maxPerAtom) eV (LAMMPS \(lammpsMax)); sampled \(maxSampled) (LAMMPS \(lammpsMaxSampled))
            [physics]   PE steps 0…100 vs LAMMPS: max relative Δ \(worst) at step \(worstStep); at step 100 \(relative[100]) \
            (with m = 63.55 in our units instead of LAMMPS's m·mvv2e: \(nominalWorst))
            [physics]   PE relative Δ vs LAMMPS at t = 1…10 ps: \(byPicosecond.joined(separator: " "))
            """)

        #expect(potentials.count == 101)
        #expect(evaluator.neighbors.buildCount == 1, "LAMMPS never rebuilt its list (no atom moved skin/2 = 0.5 Å)")
        // Same kinetic energy as LAMMPS's at step 0 (same m·mvv2e), same potential energy: same E(0)
        // (to 1.5e-12, see below).
        #expect(abs(e0 - lammpsTotal[0]) <= 1e-11 * abs(lammpsTotal[0]), "E(0) \(e0) vs LAMMPS \(lammpsTotal[0])")
        // Same dynamics as LAMMPS's to rounding: the potential energies of steps 1…100 agree to ~2e-14
        // (and stay within ~5e-14 for the whole 10 ps). Step 0 is the perfect lattice, where every atom
        // is alike and a rounding-level difference adds up coherently over the 4000 atoms: LAMMPS has
        // −3.5400000022746 eV/atom, we have −3.5400000022799, as has the independent numpy version of
        // LAMMPS's interpolation in Tools/reference/verify_references.py (`eam_lammps_scheme`, on a
        // 3×3×3 cell: −3.54000000227980). 5e-12 eV/atom, 1.5e-12 relative. Allow 1e-11.
        #expect(worst <= 1e-11, "PE differs from LAMMPS by \(worst) (relative) at step \(worstStep)")
        #expect(maxPerAtom <= 1.5 * lammpsMax, "max |ΔE|/N \(maxPerAtom) eV vs LAMMPS \(lammpsMax)")
        // The slope of a 10 ps run is mostly noise (at 1 fs LAMMPS's 2.6e-5 meV/atom/ps is 2.6e-7
        // eV/atom over the whole run, far below the 2e-5 eV/atom fluctuations): allow 2× LAMMPS or 3
        // standard errors of our own fit, whichever is larger, but never more than 1e-3 meV/atom/ps
        // (1e-5 eV/atom over 10 ps, the size of the 1 fs fluctuations themselves).
        let allowed = min(max(2 * abs(lammpsSlope), 3 * slopeError), 1e-3)
        #expect(abs(slope) <= allowed, "drift \(slope) meV/atom/ps, allowed \(allowed)")
    }
}
