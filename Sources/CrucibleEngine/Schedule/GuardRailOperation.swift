/// Checks every replica for a broken state (non-finite values, overlapping or lost atoms, runaway
/// temperature) at every step at which something is written, before the writers run, so nothing is
/// written from a broken state and the last good checkpoint stays.
final class GuardRailOperation: Operation {
    let needs: PotentialRequest = [.energy, .forces]
    private let writers: [any Operation]

    init(guarding writers: [any Operation]) { self.writers = writers }

    func fires(atStep step: Int, lastStep: Int) -> Bool {
        writers.contains { $0.fires(atStep: step, lastStep: lastStep) }
    }

    func perform(_ run: inout ReplicaRun) throws { try Self.check(run) }

    /// Checks every bead of every replica; the violation names the replica when there are several.
    static func check(_ run: ReplicaRun) throws {
        for replica in run.replicas {
            for (bead, evaluator) in zip(replica.beads, replica.evaluators) {
                do {
                    try GuardRails.check(bead, neighbors: evaluator.neighbors, target: replica.thermodynamics.temperature)
                } catch let violation as GuardRails.Violation where run.labelled {
                    throw GuardRails.Violation(description: "replica \(replica.index): " + violation.description)
                }
            }
        }
    }
}
