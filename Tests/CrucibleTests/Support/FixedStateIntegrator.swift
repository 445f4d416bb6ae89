@testable import CrucibleCore

/// An MD integrator bound to one thermodynamic state, for tests that run a single microstate
/// without the engine (the engine passes each replica's state to every step).
struct FixedStateIntegrator {
    var integrator: MDIntegrator
    var ensemble: ThermodynamicState
    var request: PotentialRequest = [.energy, .forces, .virial]

    init(timestep: Double, ensemble: ThermodynamicState, thermostat: Thermostat? = nil, barostat: Barostat? = nil) {
        integrator = MDIntegrator(timestep: timestep, thermostat: thermostat, barostat: barostat)
        self.ensemble = ensemble
    }

    func prepare(_ state: inout MDState, evaluator: inout Evaluator) {
        integrator.prepare(&state, evaluator: &evaluator, request: request)
    }

    func step(_ state: inout MDState, evaluator: inout Evaluator) {
        integrator.step(&state, at: ensemble, evaluator: &evaluator, request: request)
    }

    func conservedEnergy(_ state: MDState) -> Double { integrator.conservedEnergy(state, at: ensemble) }
}
