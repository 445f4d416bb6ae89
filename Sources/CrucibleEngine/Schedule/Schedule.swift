/// The operations of a run, in the order they are performed at a step.
///
/// Replicas meet at every step at which an operation that is not replica-local fires (and at least
/// every `maxStretch` steps, so a stop request is answered promptly). In between, each replica runs
/// through the replica-local operations of every step on its own thread. At a meeting step the
/// replica-local operations run first, then the others in schedule order. Each replica sees exactly
/// the operations, in the same order, that a step-by-step run would give it, so the numbers do not
/// depend on where the meetings fall.
struct Schedule {
    var operations: [any Operation]
    /// Most steps replicas run on their own before they meet.
    static let maxStretch = 20

    /// The union of what the operations firing at `step` need from that step's force evaluation.
    func request(atStep step: Int, lastStep: Int) -> PotentialRequest {
        operations.reduce(into: PotentialRequest()) { request, operation in
            if operation.fires(atStep: step, lastStep: lastStep) { request.formUnion(operation.needs) }
        }
    }

    /// Performs, in order, every operation that fires at `run.step` (the first step of a run).
    func perform(_ run: inout ReplicaRun) throws {
        for operation in operations where operation.fires(atStep: run.step, lastStep: run.lastStep) {
            try operation.perform(&run)
        }
    }

    /// The next step after `step` at which the replicas meet.
    func nextMeeting(after step: Int, lastStep: Int) -> Int {
        let limit = min(step + Self.maxStretch, lastStep)
        var s = step + 1
        while s < limit && !operations.contains(where: { !($0 is any ReplicaLocalOperation) && $0.fires(atStep: s, lastStep: lastStep) }) {
            s += 1
        }
        return s
    }

    /// Advances every replica from `run.step` to `meeting`, each on its own through the
    /// replica-local operations of every step, then performs the other operations firing at `meeting`.
    func advance(_ run: inout ReplicaRun, to meeting: Int) throws {
        let from = run.step, last = run.lastStep
        let local = operations.compactMap { $0 as? any ReplicaLocalOperation }
        let requests = ((from + 1)...meeting).map { request(atStep: $0, lastStep: last) }
        // Operations that act inside the step are run by the step operation, when there is one.
        let stepped = local.contains { $0 is any StepOperation }
        let inside = ((from + 1)...meeting).map { step in
            stepped ? local.compactMap { $0 as? any BeforeForcesOperation }.filter { $0.fires(atStep: step, lastStep: last) } : []
        }
        try run.forEachReplica { replica in
            for step in (from + 1)...meeting {
                let request = requests[step - from - 1]
                for operation in local where operation.fires(atStep: step, lastStep: last) {
                    if stepped && operation is any BeforeForcesOperation { continue }
                    if let stepper = operation as? any StepOperation {
                        try stepper.perform(on: &replica, step: step, request: request, beforeForces: inside[step - from - 1])
                    } else {
                        try operation.perform(on: &replica, step: step, request: request)
                    }
                }
            }
        }
        run.step = meeting
        run.request = requests[requests.count - 1]
        for operation in operations where !(operation is any ReplicaLocalOperation) && operation.fires(atStep: meeting, lastStep: last) {
            try operation.perform(&run)
        }
    }

    func close() { for operation in operations { operation.close() } }

    /// The operations whose state a checkpoint saves.
    var statefulOperations: [any StatefulOperation] { operations.compactMap { $0 as? any StatefulOperation } }

    /// End-of-run lines of every operation, in schedule order.
    func report(_ run: ReplicaRun) -> [String] { operations.flatMap { $0.report(run) } }
}
