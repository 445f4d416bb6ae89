/// An operation that acts on each replica by itself (integration; later Monte Carlo moves within a
/// replica). Between the steps at which other operations fire ("meetings": outputs, checkpoints,
/// later exchanges), the schedule lets every replica run through its replica-local operations on its
/// own thread, step after step, without waiting for the other replicas at every step.
protocol ReplicaLocalOperation: Operation {
    /// Does its work on one replica, which is at `step` (the step being made); `request` is what that
    /// step's force evaluation must compute.
    func perform(on replica: inout Replica, step: Int, request: PotentialRequest) throws
}

extension ReplicaLocalOperation {
    /// All replicas at once, in parallel (what a schedule without meetings would do).
    func perform(_ run: inout ReplicaRun) throws {
        let step = run.step, request = run.request
        try run.forEachReplica { try perform(on: &$0, step: step, request: request) }
    }
}

/// A replica-local operation that acts inside a step, between the drift and the force evaluation
/// (species moves: at the step's new positions, so that the step's own evaluation gives the forces
/// of the new species and the step evaluates once). The schedule hands it to the step operation;
/// at a step without one (the first step of a run) it acts on its own through `perform(on:…)`.
protocol BeforeForcesOperation: ReplicaLocalOperation {
    func performBeforeForces(on replica: inout Replica, step: Int) throws
}

/// The operation that makes the MD step, with the `BeforeForcesOperation`s due at that step run
/// inside it, in schedule order.
protocol StepOperation: ReplicaLocalOperation {
    func perform(on replica: inout Replica, step: Int, request: PotentialRequest,
                 beforeForces: [any BeforeForcesOperation]) throws
}
