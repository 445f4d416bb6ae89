/// One entry of a run's schedule: integration, an output, a checkpoint (later Monte Carlo moves,
/// replica exchanges, CV logs). The step loop knows no operation by name: at each step it asks the
/// potential for the union of what the operations firing at that step need, then performs them in
/// schedule order.
protocol Operation: AnyObject {
    /// What this operation reads from the force evaluation of a step at which it fires.
    var needs: PotentialRequest { get }
    func fires(atStep step: Int, lastStep: Int) -> Bool
    /// Does its work on `run`, whose replicas are at `run.step`.
    func perform(_ run: inout ReplicaRun) throws
    /// Flushes and closes what it holds (also after an error or a stop).
    func close()
    /// Lines for the end of the run (acceptance, averages); none by default.
    func report(_ run: ReplicaRun) -> [String]
}

/// An operation that carries state from step to step (statistics, accumulators, random streams):
/// the checkpoint saves it under `operations/<checkpointKey>/` and a restart restores it, so a
/// continued run is bitwise the uninterrupted one.
protocol StatefulOperation: Operation {
    var checkpointKey: String { get }
    func save(into record: inout CheckpointRecord, as prefix: String)
    func restore(from record: CheckpointRecord, as prefix: String) throws
}

/// An operation that fires on a trigger.
protocol TriggeredOperation: Operation {
    var trigger: Trigger { get }
}

extension TriggeredOperation {
    func fires(atStep step: Int, lastStep: Int) -> Bool { trigger.fires(atStep: step, lastStep: lastStep) }
}

extension Operation {
    func close() {}
    func report(_ run: ReplicaRun) -> [String] { [] }
}
