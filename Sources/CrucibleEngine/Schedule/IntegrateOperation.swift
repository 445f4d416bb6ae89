/// Advances every replica by one MD step (replicas in parallel), asking the potential for what the
/// operations firing after it at this step need.
final class IntegrateOperation: TriggeredOperation {
    let trigger = Trigger.eachStep
    let needs: PotentialRequest

    init(_ integrator: MDIntegrator) { needs = integrator.minimumRequest }

    func perform(_ run: inout ReplicaRun) throws {
        let integrator = run.integrator, request = run.request
        run.forEachReplica { $0.advance(integrator, request: request) }
    }
}
