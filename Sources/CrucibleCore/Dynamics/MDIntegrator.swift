/// Velocity Verlet with optional thermostat and barostat, one splitting for all ensembles:
///   NVE:       B A B                      (velocity Verlet)
///   Langevin:  B A O A B                  (BAOAB)
///   CSVR:      T B A B T                  (T = Bussi rescaling over dt/2)
/// and, with a barostat, the cell step right before the force evaluation.
/// The targets (temperature, pressure) come from the replica's `ThermodynamicState` passed to each
/// step, so replica exchange permutes states without touching the integrator.
/// Every variant reports its conserved quantity (`conservedEnergy`).
public struct MDIntegrator: Sendable, Equatable {
    /// ps
    public var timestep: Double
    public var thermostat: Thermostat?
    public var barostat: Barostat?
    /// Path integrals: the replica's beads form ring polymers (nil: classical, one bead).
    public var pathIntegral: RingPolymer?

    public init(timestep: Double, thermostat: Thermostat? = nil, barostat: Barostat? = nil, pathIntegral: RingPolymer? = nil) {
        self.timestep = timestep
        self.thermostat = thermostat
        self.barostat = barostat
        self.pathIntegral = pathIntegral
    }

    /// What every step needs from the potential whatever else is requested: forces, and the virial
    /// for the barostat's next cell step.
    public var minimumRequest: PotentialRequest { barostat != nil ? [.forces, .virial] : [.forces] }

    /// Evaluates the forces of the starting configuration.
    public func prepare(_ state: inout MDState, evaluator: inout Evaluator, request: PotentialRequest = .all) {
        evaluator.evaluate(&state.configuration, request: request, into: &state.evaluation)
    }

    /// Advances every bead of `replica` by one step at its thermodynamic state: as ring polymers
    /// under path integrals, else each bead on its own. `beforeForces`, when given, acts on the
    /// replica between the drift and the force evaluation, with every bead's neighbour list brought
    /// to the new positions (species moves: the step's own evaluation then gives the new species'
    /// forces, so the step needs one evaluation, not two).
    public func advance(_ replica: inout Replica, request: PotentialRequest,
                        beforeForces: ((inout Replica) -> Void)? = nil) {
        if let pathIntegral {
            ringPolymerStep(pathIntegral, &replica, request: request, beforeForces: beforeForces)
            return
        }
        let thermodynamics = replica.thermodynamics
        guard let beforeForces else {
            replica.forEachBead { bead, evaluator in step(&bead, at: thermodynamics, evaluator: &evaluator, request: request) }
            return
        }
        replica.forEachBead { bead, evaluator in moveAtoms(&bead, at: thermodynamics, workers: evaluator.workers) }
        replica.forEachBead { bead, evaluator in evaluator.updateList(&bead.configuration) }
        beforeForces(&replica)
        replica.forEachBead { bead, evaluator in
            let workers = evaluator.workers
            finishStep(&bead, at: thermodynamics, request: request, workers: workers) {
                evaluator.evaluateWithCurrentList($0.configuration, request: $1, into: &$0.evaluation)
            }
        }
    }

    /// Evaluates the forces of every bead's starting configuration.
    public func prepare(_ replica: inout Replica, request: PotentialRequest) {
        let request = request.union(minimumRequest)
        replica.forEachBead { bead, evaluator in prepare(&bead, evaluator: &evaluator, request: request) }
    }

    /// One step at `thermodynamics`, asking the potential for `request` (plus `minimumRequest`).
    public func step(_ state: inout MDState, at thermodynamics: ThermodynamicState, evaluator: inout Evaluator,
                     request: PotentialRequest) {
        let workers = evaluator.workers
        moveAtoms(&state, at: thermodynamics, workers: workers)
        finishStep(&state, at: thermodynamics, request: request, workers: workers) {
            evaluator.evaluate(&$0.configuration, request: $1, into: &$0.evaluation)
        }
    }

    /// The step up to its force evaluation: (T) B A (O A) and the cell step.
    func moveAtoms(_ state: inout MDState, at thermodynamics: ThermodynamicState, workers: Workers) {
        let dt = timestep
        let temperature = thermodynamics.temperature
        if case .csvr(let tau) = thermostat { state.csvrStep(dt: 0.5 * dt, tau: tau, temperature: temperature) }
        kick(&state, dt: 0.5 * dt, workers: workers)
        if case .langevin(let damping) = thermostat {
            drift(&state, dt: 0.5 * dt, workers: workers)
            state.langevinVelocityStep(dt: dt, damping: damping, temperature: temperature)
            drift(&state, dt: 0.5 * dt, workers: workers)
        } else {
            drift(&state, dt: dt, workers: workers)
        }
        if let barostat, let pressure = thermodynamics.pressure {
            state.barostatStep(barostat, dt: dt, temperature: temperature, pressure: pressure)
        }
    }

    /// The step from its force evaluation (`evaluate(state, request)`) on: B (T).
    func finishStep(_ state: inout MDState, at thermodynamics: ThermodynamicState, request: PotentialRequest, workers: Workers,
                    evaluate: (inout MDState, PotentialRequest) -> Void) {
        let dt = timestep
        evaluate(&state, request.union(minimumRequest))
        kick(&state, dt: 0.5 * dt, workers: workers)
        if case .csvr(let tau) = thermostat { state.csvrStep(dt: 0.5 * dt, tau: tau, temperature: thermodynamics.temperature) }
        state.step += 1
        state.time += dt
    }

    /// Kinetic + potential energy (+ P₀V under a barostat) − energy exchanged with the baths, eV.
    public func conservedEnergy(_ state: MDState, at thermodynamics: ThermodynamicState) -> Double {
        var energy = state.configuration.kineticEnergy + state.evaluation.energy - state.bathEnergy
        if barostat != nil, let pressure = thermodynamics.pressure {
            energy += pressure / Units.pressureToBar * state.configuration.cell.volume
        }
        return energy
    }

    /// v += dt · F/m, in fixed blocks of atoms on the workers (elementwise: the same bits for any thread count).
    func kick(_ state: inout MDState, dt: Double, workers: Workers) {
        let n = state.configuration.count
        let table = state.configuration.speciesTable.masses.map { dt / ($0 * Units.kineticToEV) }
        let blocks = NeighborList.chunkCount
        table.withUnsafeBufferPointer { factors in
            state.evaluation.forces.withUnsafeBufferPointer { f in
                state.configuration.species.withUnsafeBufferPointer { species in
                    state.configuration.velocities.withUnsafeMutableBufferPointer { v in
                        workers.forEach(blocks) { block in
                            for i in (n * block / blocks)..<(n * (block + 1) / blocks) {
                                let factor = factors[Int(species[i])]
                                v[3 * i] += factor * f[3 * i]
                                v[3 * i + 1] += factor * f[3 * i + 1]
                                v[3 * i + 2] += factor * f[3 * i + 2]
                            }
                        }
                    }
                }
            }
        }
    }

    /// x += dt · v, in fixed blocks on the workers.
    func drift(_ state: inout MDState, dt: Double, workers: Workers) {
        let count = state.configuration.positions.count
        let blocks = NeighborList.chunkCount
        state.configuration.velocities.withUnsafeBufferPointer { v in
            state.configuration.positions.withUnsafeMutableBufferPointer { x in
                workers.forEach(blocks) { block in
                    for k in (count * block / blocks)..<(count * (block + 1) / blocks) { x[k] += dt * v[k] }
                }
            }
        }
    }
}
