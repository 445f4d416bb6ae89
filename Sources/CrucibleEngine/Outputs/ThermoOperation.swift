/// Thermo rows of every replica (one CSV per replica; terminal rows labelled by replica when there
/// are several).
final class ThermoOperation: TriggeredOperation {
    let trigger: Trigger
    let needs: PotentialRequest = [.energy, .virial]
    let logs: [ThermoLog]

    init(trigger: Trigger, logs: [ThermoLog]) { self.trigger = trigger; self.logs = logs }

    func perform(_ run: inout ReplicaRun) throws {
        for (log, replica) in zip(logs, run.replicas) {
            log.record(ThermoSample(replica: replica, integrator: run.integrator))
        }
    }

    func close() { for log in logs { log.close() } }
}
