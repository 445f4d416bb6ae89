/// Counts of one kind of Monte Carlo move in one replica.
public struct MoveStatistics: Equatable, Sendable {
    public var attempted = 0
    public var accepted = 0
    /// Trials checked against a full evaluation (self-check mode).
    public var checked = 0

    public init() {}

    /// Accepted / attempted (0 before the first attempt).
    public var acceptance: Double { attempted > 0 ? Double(accepted) / Double(attempted) : 0 }
}
