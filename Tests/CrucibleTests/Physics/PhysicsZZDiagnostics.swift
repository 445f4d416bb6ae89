import Foundation
import Testing
@testable import CrucibleCore
@testable import CrucibleIO

@Suite(.enabled(if: ProcessInfo.processInfo.environment["CRUCIBLE_DIAG"] == "1")) struct PhysicsZZDiagnostics {
    @Test func effectiveMass() throws {
        let reference = try PhysicsReference.json("nve_drift_Cu_u3.json")
        let runs = try #require(reference["runs"] as? [String: Any])
        let lammps = try #require(runs["dt_1fs"] as? [String: Any])
        let firstSteps = try #require(lammps["first_steps_every_step"] as? [[String: Any]])
        let lammpsPotential = try firstSteps.map { try #require($0["potential_eV"] as? Double) }
        for mass in [63.55, 63.55 * 1.0364269e-4 / Units.kineticToEV] {
            var configuration = try PhysicsReference.configuration("nve_drift_Cu_u3_start.extxyz")
            configuration.speciesTable.setMass(mass, for: "Cu")
            let potential = try PhysicsReference.embeddedAtom(funcfl: "Cu_u3.eam", element: "Cu", for: configuration.speciesTable)
            let integrator = MDIntegrator(timestep: 0.001, ensemble: ThermodynamicState(temperature: 600))
            var state = MDState(configuration: configuration, random: RandomStream(seed: 1))
            var evaluator = Evaluator(potential: potential, skin: 1.0)
            integrator.prepare(&state, evaluator: &evaluator)
            var potentials = [state.potential.energy]
            physicsRun(integrator, &state, &evaluator, steps: 100) { potentials.append($0.potential.energy) }
            let relative = zip(potentials, lammpsPotential).map { abs($0 - $1) / abs($1) }
            print("[diag] mass \(mass): max rel \(relative.max()!) at \(relative.firstIndex(of: relative.max()!)!), step 0 \(relative[0]), step 1 \(relative[1]), step 10 \(relative[10]), 100 \(relative[100])")
        }
    }

    @Test func fixedCell() throws {
        for (ec, steps) in [(0.0, 20000), (1e-14, 50000)] {
            var c = try PhysicsReference.configuration("minimize_CuNi_start.extxyz")
            let potential = try PhysicsReference.embeddedAtom(setfl: "CuNi.eam.alloy", for: c.speciesTable)
            var evaluator = Evaluator(potential: potential, skin: 0.5)
            var best = 0.0
            let result = FIREMinimizer(maxForce: 1e-6, energyChange: ec, maxSteps: steps).minimize(&c, evaluator: &evaluator) { p, _ in best = min(best, p.energy) }
            print("[diag] fixed cell ec \(ec): E \(result.energy) best \(best) steps \(result.steps) \(result.reason) maxF \(result.maxForce)")
        }
    }
}
