/// Velocity Verlet with optional thermostat and barostat, one splitting for all ensembles:
///   NVE:       B A B                      (velocity Verlet)
///   Langevin:  B A O A B                  (BAOAB)
///   CSVR:      T B A B T                  (T = Bussi rescaling over dt/2)
/// and, with a barostat, the cell step right before the force evaluation.
/// Every variant reports its conserved quantity (`conservedEnergy`).
public struct MDIntegrator: Sendable {
    /// ps
    public var timestep: Double
    public var ensemble: ThermodynamicState
    public var thermostat: Thermostat?
    public var barostat: Barostat?
    /// What each step asks of the potential (energy and virial only when someone will read them).
    public var request: PotentialRequest = [.energy, .forces, .virial]

    public init(timestep: Double, ensemble: ThermodynamicState, thermostat: Thermostat? = nil, barostat: Barostat? = nil) {
        self.timestep = timestep
        self.ensemble = ensemble
        self.thermostat = thermostat
        self.barostat = barostat
    }

    /// Evaluates the forces of the starting configuration.
    public func prepare(_ state: inout MDState, evaluator: inout Evaluator) {
        state.potential = evaluator.evaluate(&state.configuration, request: request)
    }

    public func step(_ state: inout MDState, evaluator: inout Evaluator) {
        let dt = timestep
        let temperature = ensemble.temperature
        if case .csvr(let tau) = thermostat { state.csvrStep(dt: 0.5 * dt, tau: tau, temperature: temperature) }
        kick(&state, dt: 0.5 * dt)
        if case .langevin(let damping) = thermostat {
            drift(&state, dt: 0.5 * dt)
            state.langevinVelocityStep(dt: dt, damping: damping, temperature: temperature)
            drift(&state, dt: 0.5 * dt)
        } else {
            drift(&state, dt: dt)
        }
        if let barostat, let pressure = ensemble.pressure {
            state.barostatStep(barostat, dt: dt, temperature: temperature, pressure: pressure)
        }
        state.potential = evaluator.evaluate(&state.configuration, request: request)
        kick(&state, dt: 0.5 * dt)
        if case .csvr(let tau) = thermostat { state.csvrStep(dt: 0.5 * dt, tau: tau, temperature: temperature) }
        state.step += 1
        state.time += dt
    }

    /// Kinetic + potential energy (+ P₀V under a barostat) − energy exchanged with the baths, eV.
    public func conservedEnergy(_ state: MDState) -> Double {
        var energy = state.configuration.kineticEnergy + state.potential.energy - state.bathEnergy
        if barostat != nil, let pressure = ensemble.pressure {
            energy += pressure / Units.pressureToBar * state.configuration.cell.volume
        }
        return energy
    }

    /// v += dt · F/m
    func kick(_ state: inout MDState, dt: Double) {
        let n = state.configuration.count
        let table = state.configuration.speciesTable.masses.map { dt / ($0 * Units.kineticToEV) }
        state.potential.forces.withUnsafeBufferPointer { f in
            state.configuration.species.withUnsafeBufferPointer { species in
                state.configuration.velocities.withUnsafeMutableBufferPointer { v in
                    for i in 0..<n {
                        let factor = table[Int(species[i])]
                        v[3 * i] += factor * f[3 * i]
                        v[3 * i + 1] += factor * f[3 * i + 1]
                        v[3 * i + 2] += factor * f[3 * i + 2]
                    }
                }
            }
        }
    }

    /// x += dt · v
    func drift(_ state: inout MDState, dt: Double) {
        state.configuration.velocities.withUnsafeBufferPointer { v in
            state.configuration.positions.withUnsafeMutableBufferPointer { x in
                for k in 0..<x.count { x[k] += dt * v[k] }
            }
        }
    }
}
