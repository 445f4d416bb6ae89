/// What a replica's Monte Carlo moves carry from call to call: their random stream (keyed by
/// (alloy, replica)) and the statistics of each move by name.
public struct MonteCarloState: Sendable {
    public var random: RandomStream
    public var statistics: [String: MoveStatistics] = [:]
    /// Wall time spent in each move's calls by this process, s (a measurement: not checkpointed).
    public var seconds: [String: Double] = [:]

    public init(random: RandomStream) { self.random = random }
}

extension MonteCarloState: Checkpointable {
    public func save(into record: inout CheckpointRecord, as prefix: String) {
        random.save(into: &record, as: prefix + "random/")
        let names = statistics.keys.sorted()
        record.strings[prefix + "moves"] = names.joined(separator: "\n")
        record.integers[prefix + "counts"] = names.flatMap { name -> [Int64] in
            let s = statistics[name]!
            return [Int64(s.attempted), Int64(s.accepted), Int64(s.checked)]
        }
    }

    public init(from record: CheckpointRecord, as prefix: String) throws {
        self.init(random: try RandomStream(from: record, as: prefix + "random/"))
        let names = try record.string(prefix + "moves").split(separator: "\n").map(String.init)
        let counts = try record.integers(prefix + "counts")
        guard counts.count == 3 * names.count else { throw CheckpointError.malformed(prefix + "counts", "expected 3 counts per move") }
        for (k, name) in names.enumerated() {
            var s = MoveStatistics()
            s.attempted = Int(counts[3 * k]); s.accepted = Int(counts[3 * k + 1]); s.checked = Int(counts[3 * k + 2])
            statistics[name] = s
        }
    }
}
