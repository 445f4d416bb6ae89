/// Composition profiles (`CompositionProfile`) of every replica every `every` steps, filed under
/// the replica's thermodynamic state: one CSV row per replica, bin and sample; at the end each
/// state's profile averaged over its samples from step `start` on. The sums are part of the
/// checkpoint.
final class CompositionProfileOperation: TriggeredOperation, StatefulOperation {
    let trigger: Trigger
    let needs: PotentialRequest = []
    let checkpointKey = "composition_profile"
    let plan: CompositionProfilePlan
    let symbols: [String]
    /// Per state: Σ over samples of the per-bin fractions (flat [bin][species]), and the samples.
    private(set) var sums: [[Double]]
    private(set) var samples: [Int]
    private let file: TextFile?

    init(plan: CompositionProfilePlan, symbols: [String], states: Int, path: String?, resumedAt step: Int?) throws {
        trigger = Trigger(period: plan.every, atFirst: true, atLast: true)
        self.plan = plan
        self.symbols = symbols
        sums = Array(repeating: [Double](repeating: 0, count: plan.bins * symbols.count), count: states)
        samples = [Int](repeating: 0, count: states)
        let header = (["step", "state", "replica", "bin", "atoms"] + symbols.map { "x_" + $0 }).joined(separator: ",")
        file = try path.map { try StepCSV.open($0, header: header, keepingThroughStep: step) }
    }

    var axisIndex: Int { ["x", "y", "z"].firstIndex(of: plan.axis.rawValue)! }

    func perform(_ run: inout ReplicaRun) throws {
        let species = symbols.count
        for replica in run.replicas {
            let (fractions, atoms) = CompositionProfile.fractions(replica.beads[0].configuration, axis: axisIndex, bins: plan.bins)
            let state = replica.thermodynamics.index
            if run.step >= plan.start {
                // An empty bin adds nothing (its NaN would spoil the mean of the others).
                for k in fractions.indices where fractions[k].isFinite { sums[state][k] += fractions[k] }
                samples[state] += 1
            }
            for bin in 0..<plan.bins {
                let row = fractions[(bin * species)..<((bin + 1) * species)].map { "\($0)" }
                file?.write(([String(run.step), String(state), String(replica.index), String(bin), String(atoms[bin])] + row).joined(separator: ","))
            }
        }
    }

    func close() { file?.close() }

    func save(into record: inout CheckpointRecord, as prefix: String) {
        record.integers[prefix + "samples"] = samples.map(Int64.init)
        record.doubles[prefix + "sums"] = sums.flatMap { $0 }
    }

    func restore(from record: CheckpointRecord, as prefix: String) throws {
        let counts = try record.integers(prefix + "samples"), values = try record.doubles(prefix + "sums")
        let width = plan.bins * symbols.count
        guard counts.count == samples.count, values.count == width * samples.count else {
            throw CheckpointError.malformed(prefix + "sums", "sizes do not match the composition profile plan")
        }
        samples = counts.map { Int($0) }
        sums = (0..<samples.count).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }

    func report(_ run: ReplicaRun) -> [String] {
        var lines = ["Composition profile along \(plan.axis.rawValue) (\(plan.bins) bins; mean fraction per bin over samples from step \(plan.start)):"]
        let species = symbols.count
        for state in samples.indices where samples[state] > 0 {
            let temperature = run.replica(inState: state).thermodynamics.temperature
            lines.append("  state \(state) (\(temperature) K), \(samples[state]) samples")
            for (s, symbol) in symbols.enumerated() {
                let values = (0..<plan.bins).map { bin in sums[state][bin * species + s] / Double(samples[state]) }
                lines.append("    x_\(symbol): " + values.map { String(format: "%.3f", $0) }.joined(separator: " "))
            }
        }
        return lines
    }
}
