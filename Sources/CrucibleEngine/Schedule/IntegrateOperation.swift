/// Advances a replica by one MD step, asking the potential for what the operations firing at this
/// step need.
final class IntegrateOperation: TriggeredOperation, ReplicaLocalOperation {
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
}
