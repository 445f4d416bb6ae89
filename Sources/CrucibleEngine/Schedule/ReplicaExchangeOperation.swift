import Foundation

/// Replica exchange rounds every `every` steps (`ReplicaExchange`), using the energies the step
/// computed (a replica given other Hamiltonian parameters is then re-evaluated); writes the replica holding each state after every round, and reports the acceptance
/// between neighbouring states and the round trips at the end.
final class ReplicaExchangeOperation: TriggeredOperation, StatefulOperation {
    let trigger: Trigger
    let needs: PotentialRequest = [.energy]
    let checkpointKey = "exchange"
    private(set) var exchange: ReplicaExchange
    private let file: TextFile?

    init(plan: ReplicasPlan.ExchangePlan, states: Int, seed: UInt64, path: String?, resumedAt step: Int?) throws {
        trigger = Trigger(period: plan.every)
        exchange = ReplicaExchange(pairing: ReplicaExchange.Pairing(rawValue: plan.pairing.rawValue)!, stateCount: states,
                                   random: RandomStream(seed: seed, key: StreamKey(.exchange)))
        let header = "step," + (0..<states).map { "replica_of_state_\($0)" }.joined(separator: ",")
        file = try path.map { try StepCSV.open($0, header: header, keepingThroughStep: step) }
    }

    func perform(_ run: inout ReplicaRun) throws {
        let before = run.replicas.map(\.thermodynamics.parameters)
        exchange.round(&run.replicas, step: run.step)
        // A replica whose Hamiltonian changed re-evaluates its beads: its forces (for the next
        // step's first kick) and the energies the outputs of this step report are the new state's.
        if zip(before, run.replicas).contains(where: { $0 != $1.thermodynamics.parameters }) {
            let request = run.request.union(run.integrator.minimumRequest)
            try run.forEachReplica { replica in
                guard replica.thermodynamics.parameters != before[replica.index] else { return }
                replica.forEachBead { bead, evaluator in
                    evaluator.evaluateAtCurrentPositions(bead.configuration, request: request, into: &bead.evaluation)
                }
            }
        }
        guard let file else { return }
        var holder = [Int](repeating: 0, count: exchange.stateCount)
        for replica in run.replicas { holder[replica.thermodynamics.index] = replica.index }
        file.write("\(run.step)," + holder.map(String.init).joined(separator: ","))
    }

    func close() { file?.close() }

    func save(into record: inout CheckpointRecord, as prefix: String) { exchange.save(into: &record, as: prefix) }
    func restore(from record: CheckpointRecord, as prefix: String) throws { exchange = try ReplicaExchange(from: record, as: prefix) }

    func report(_ run: ReplicaRun) -> [String] {
        let temperatures = (0..<exchange.stateCount).map { run.replica(inState: $0).thermodynamics.temperature }
        var lines = ["Replica exchange: \(exchange.rounds) rounds (\(exchange.pairing.rawValue) pairs)"]
        for s in 0..<(exchange.stateCount - 1) {
            let k = s * exchange.stateCount + s + 1
            lines.append(String(format: "  states %d-%d (%.6g K - %.6g K): %d of %d accepted (%.4f)", s, s + 1, temperatures[s],
                                temperatures[s + 1], exchange.accepted[k], exchange.attempted[k], exchange.acceptance(s, s + 1) ?? 0))
        }
        let trips = exchange.roundTrips.reduce(0, +)
        let steps = exchange.roundTripSteps.reduce(0, +)
        lines.append("  round trips (state 0 → \(exchange.stateCount - 1) → 0): \(trips)" +
                     (trips > 0 ? String(format: ", mean %.1f steps", Double(steps) / Double(trips)) : ""))
        return lines
    }
}
