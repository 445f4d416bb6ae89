/// Advances a replica by one MD step, asking the potential for what the operations firing at this
/// step need, and running the due species moves between the drift and the force evaluation.
final class IntegrateOperation: TriggeredOperation, StepOperation {
    let trigger = Trigger.eachStep
    let needs: PotentialRequest
    let integrator: MDIntegrator

    init(_ integrator: MDIntegrator) {
        self.integrator = integrator
        needs = integrator.minimumRequest
    }

    func perform(on replica: inout Replica, step: Int, request: PotentialRequest) {
        integrator.advance(&replica, request: request)
    }

    func perform(on replica: inout Replica, step: Int, request: PotentialRequest,
                 beforeForces operations: [any BeforeForcesOperation]) throws {
        guard !operations.isEmpty else { return perform(on: &replica, step: step, request: request) }
        // The integrator's hook cannot throw: the first failure is kept and thrown after the step
        // (the run stops there; nothing is written from that step).
        var failure: (any Error)?
        integrator.advance(&replica, request: request) { replica in
            for operation in operations where failure == nil {
                do { try operation.performBeforeForces(on: &replica, step: step) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }
}
