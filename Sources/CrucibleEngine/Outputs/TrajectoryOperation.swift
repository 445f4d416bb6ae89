/// Trajectory frames, one H5MD file per replica, or (`byState`, with replica exchange) one per
/// thermodynamic state holding the frames of whichever replica has that state, the replica's index
/// stored as an observable. Each group's first file holds the centroids (the bead itself for one
/// bead); further files, when asked for, hold bead 0, 1, … of the same replica.
final class TrajectoryOperation: TriggeredOperation {
    let trigger: Trigger
    let needs: PotentialRequest
    /// Files of each replica or state: centroid first, then one per bead if asked for.
    let files: [[TrajectoryOutput]]
    let byState: Bool

    init(trigger: Trigger, files: [[TrajectoryOutput]], byState: Bool = false) {
        self.trigger = trigger
        self.files = files
        self.byState = byState
        // Observables need energy and virial; forces are always there.
        needs = [.energy, .virial, .forces]
    }

    func perform(_ run: inout ReplicaRun) throws {
        for (k, group) in files.enumerated() {
            let replica = byState ? run.replica(inState: k) : run.replicas[k]
            let sample = ThermoSample(replica: replica, integrator: run.integrator)
            try group[0].record(sample, replica: replica.index, configuration: replica.centroidConfiguration, forces: replica.centroidForces)
            for (bead, file) in group.dropFirst().enumerated() {
                try file.record(sample, replica: replica.index, configuration: replica.beads[bead].configuration,
                                forces: replica.beads[bead].evaluation.forces)
            }
        }
    }

    func close() { for file in files.joined() { try? file.close() } }
}
