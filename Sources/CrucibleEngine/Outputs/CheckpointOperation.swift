/// Checkpoints of the whole run (every replica, bead, neighbour list and random stream) into one
/// HDF5 file, written atomically; `--restart` continues from it bitwise (`Simulation+Restart.swift`).
final class CheckpointOperation: TriggeredOperation {
    let trigger: Trigger
    let needs: PotentialRequest = [.energy, .forces, .virial]
    let path: String
    let plan: RunPlan
    /// The operations whose state the checkpoint holds (set when the schedule is complete).
    var statefulOperations: [any StatefulOperation] = []

    init(every: Int, path: String, plan: RunPlan) {
        trigger = Trigger(period: every, atLast: true)
        self.path = path
        self.plan = plan
    }

    func perform(_ run: inout ReplicaRun) throws {
        var record = RunCheckpoint.record(of: run, plan: plan)
        for operation in statefulOperations { operation.save(into: &record, as: "operations/\(operation.checkpointKey)/") }
        try CheckpointFile.write(record, to: path)
    }
}

/// The layout of a run's checkpoint record:
///
///     format_version                         [4]
///     deck                                   the deck text (provenance)
///     continuity/<deck key>                  what a restart must not change (system, potential, …)
///     run/step, run/replicas                 the step and the replica indices
///     replica<i>/thermodynamics/…            state index, temperature, pressure, parameters
///     replica<i>/monte_carlo/…               the replica's Monte Carlo stream and move statistics
///     replica<i>/bead<b>/state/…             the microstate (MDState)
///     replica<i>/bead<b>/neighbors/…         the neighbour list (its build history fixes the sum order)
///     operations/<key>/…                     state of the stateful operations (exchange, SRO accumulators)
enum RunCheckpoint {
    static let formatVersion: Int64 = 4
    /// Format 3 differs from 4 only in the ring-polymer step (B A B O splitting, polar deviates;
    /// now BAOAB with ziggurat deviates): its classical runs continue bitwise, its path-integral
    /// runs would not and are refused.
    static let classicalCompatibleVersions: Set<Int64> = [3]

    static func record(of run: ReplicaRun, plan: RunPlan) -> CheckpointRecord {
        var record = CheckpointRecord()
        record.integers["format_version"] = [formatVersion]
        record.strings["deck"] = plan.deckText
        for (part, text) in continuity(plan) { record.strings["continuity/" + part] = text }
        record.integers["run/step"] = [Int64(run.step)]
        record.integers["run/replicas"] = run.replicas.map { Int64($0.index) }
        for replica in run.replicas {
            let prefix = "replica\(replica.index)/"
            replica.thermodynamics.save(into: &record, as: prefix + "thermodynamics/")
            replica.monteCarlo.save(into: &record, as: prefix + "monte_carlo/")
            for (b, (bead, evaluator)) in zip(replica.beads, replica.evaluators).enumerated() {
                bead.save(into: &record, as: prefix + "bead\(b)/state/")
                evaluator.neighbors.save(into: &record, as: prefix + "bead\(b)/neighbors/")
            }
        }
        return record
    }

    /// What a continuation must keep, by deck key: a change in any of these would not continue the
    /// same trajectory (only `md.steps` and the outputs may change between a run and its restart).
    static func continuity(_ plan: RunPlan) -> [String: String] {
        var dynamics = "\(plan.run)"
        if case .md(var md) = plan.run { md.steps = 0; dynamics = "\(md)" }
        return ["seed": "\(plan.seed)", "system": "\(plan.system)", "potential": "\(plan.potential)",
                "neighbor": "\(plan.neighbor)", "md": dynamics, "replicas": plan.replicas.map(replicasText) ?? "one",
                "monte_carlo": "\(plan.monteCarlo.map { "\($0)" } ?? "none")"]
    }

    /// The replicas as text, Hamiltonian parameters sorted by name (a dictionary's own description
    /// changes order from one process to the next).
    static func replicasText(_ replicas: ReplicasPlan) -> String {
        let members = replicas.members.map { m in
            "(\(m.index), \(m.temperature.map { "\($0)" } ?? "-"), \(m.pressure.map { "\($0)" } ?? "-"), "
                + m.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + ")"
        }
        return members.joined(separator: ", ") + "; exchange: \(replicas.exchange.map { "\($0)" } ?? "none")"
    }
}
