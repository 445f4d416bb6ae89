/// Trajectory frames of every replica, one H5MD file per replica.
final class TrajectoryOperation: TriggeredOperation {
    let trigger: Trigger
    let needs: PotentialRequest
    let files: [TrajectoryOutput]

    init(trigger: Trigger, files: [TrajectoryOutput]) {
        self.trigger = trigger
        self.files = files
        // Observables need energy and virial; forces are always there.
        needs = [.energy, .virial, .forces]
    }

    func perform(_ run: inout ReplicaRun) throws {
        for (file, replica) in zip(files, run.replicas) {
            let bead = replica.beads[0]
            let sample = ThermoSample(state: bead, conserved: run.integrator.conservedEnergy(bead, at: replica.thermodynamics))
            try file.record(sample, configuration: bead.configuration, forces: bead.evaluation.forces)
        }
    }

    func close() { for file in files { try? file.close() } }
}
