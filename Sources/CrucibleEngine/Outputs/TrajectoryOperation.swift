/// Trajectory frames, one H5MD file per replica, or (`byState`, with replica exchange) one per
/// thermodynamic state holding the frames of whichever replica has that state, the replica's index
/// stored as an observable.
final class TrajectoryOperation: TriggeredOperation {
    let trigger: Trigger
    let needs: PotentialRequest
    let files: [TrajectoryOutput]
    let byState: Bool

    init(trigger: Trigger, files: [TrajectoryOutput], byState: Bool = false) {
        self.trigger = trigger
        self.files = files
        self.byState = byState
        // Observables need energy and virial; forces are always there.
        needs = [.energy, .virial, .forces]
    }

    func perform(_ run: inout ReplicaRun) throws {
        for (k, file) in files.enumerated() {
            let replica = byState ? run.replica(inState: k) : run.replicas[k]
            let sample = ThermoSample(replica: replica, integrator: run.integrator)
            try file.record(sample, replica: replica.index, configuration: replica.centroidConfiguration, forces: replica.centroidForces)
        }
    }

    func close() { for file in files { try? file.close() } }
}
