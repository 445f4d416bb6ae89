import Foundation

/// Warren–Cowley short-range order (`ShortRangeOrder`) of every replica every `every` steps,
/// filed under the replica's thermodynamic state (so with replica exchange each state collects
/// the configurations that visited it). Rows go to a CSV file; at the end each state's averages
/// over the samples from step `start` on are reported with block-averaged standard errors. The
/// samples are part of the checkpoint, so a continued run reports what an uninterrupted one does.
final class ShortRangeOrderOperation: TriggeredOperation, StatefulOperation {
    let trigger: Trigger
    let needs: PotentialRequest = []
    let checkpointKey = "sro"
    let plan: SROPlan
    let symbols: [String]
    /// Per state: the α vectors of its samples at or after `plan.start`.
    private(set) var samples: [[[Double]]]
    private let file: TextFile?

    init(plan: SROPlan, symbols: [String], states: Int, path: String?, resumedAt step: Int?) throws {
        trigger = Trigger(period: plan.every, atFirst: true, atLast: true)
        self.plan = plan
        self.symbols = symbols
        samples = Array(repeating: [], count: states)
        let names = plan.shells.indices.flatMap { shell in
            symbols.flatMap { a in symbols.map { b in "alpha\(shell + 1)_\(a)_\(b)" } }
        }
        let header = (["step", "state", "replica", "temperature"] + names).joined(separator: ",")
        file = try path.map { try StepCSV.open($0, header: header, keepingThroughStep: step) }
    }

    func perform(_ run: inout ReplicaRun) throws {
        for replica in run.replicas {
            let bead = replica.beads[0]
            let alpha = ShortRangeOrder.parameters(bead.configuration, neighbors: replica.evaluators[0].neighbors, shells: plan.shells)
            let state = replica.thermodynamics.index
            if run.step >= plan.start { samples[state].append(alpha) }
            file?.write(([String(run.step), String(state), String(replica.index), "\(replica.thermodynamics.temperature)"]
                         + alpha.map { "\($0)" }).joined(separator: ","))
        }
    }

    func close() { file?.close() }

    func save(into record: inout CheckpointRecord, as prefix: String) {
        record.integers[prefix + "counts"] = samples.map { Int64($0.count) }
        record.doubles[prefix + "values"] = samples.flatMap { $0.flatMap { $0 } }
    }

    func restore(from record: CheckpointRecord, as prefix: String) throws {
        let counts = try record.integers(prefix + "counts"), values = try record.doubles(prefix + "values")
        let width = plan.shells.count * symbols.count * symbols.count
        guard counts.count == samples.count, counts.reduce(0, +) * Int64(width) == Int64(values.count) else {
            throw CheckpointError.malformed(prefix + "values", "sizes do not match the SRO plan")
        }
        var offset = 0
        samples = counts.map { n in
            (0..<Int(n)).map { _ in defer { offset += width }; return Array(values[offset..<(offset + width)]) }
        }
    }

    func report(_ run: ReplicaRun) -> [String] {
        var lines = ["Warren-Cowley short-range order (mean ± block error over samples from step \(plan.start)):"]
        let species = symbols.count
        for state in samples.indices {
            let temperature = run.replica(inState: state).thermodynamics.temperature
            lines.append(String(format: "  state %d (%.6g K), %d samples", state, temperature, samples[state].count))
            for shell in plan.shells.indices {
                var entries: [String] = []
                for a in 0..<species {
                    for b in a..<species {
                        let k = (shell * species + a) * species + b
                        let (mean, error) = BlockAverage.of(samples[state].map { $0[k] })
                        guard mean.isFinite else { continue }
                        entries.append(String(format: "%@-%@ %+.4f ± %.4f", symbols[a], symbols[b], mean, error))
                    }
                }
                lines.append("    shell \(shell + 1): " + entries.joined(separator: ", "))
            }
        }
        return lines
    }
}
