/// The operations of a run, in the order they are performed at a step.
struct Schedule {
    var operations: [any Operation]

    /// The union of what the operations firing at `step` need from that step's force evaluation.
    func request(atStep step: Int, lastStep: Int) -> PotentialRequest {
        operations.reduce(into: PotentialRequest()) { request, operation in
            if operation.fires(atStep: step, lastStep: lastStep) { request.formUnion(operation.needs) }
        }
    }

    /// Performs, in order, every operation that fires at `run.step`.
    func perform(_ run: inout ReplicaRun) throws {
        for operation in operations where operation.fires(atStep: run.step, lastStep: run.lastStep) {
            try operation.perform(&run)
        }
    }

    func close() { for operation in operations { operation.close() } }
}
