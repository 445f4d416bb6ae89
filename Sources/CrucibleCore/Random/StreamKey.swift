/// The identity of a random stream: what it is for, and which replica and bead it belongs to.
/// Every stream of a run is derived from the master seed and its key, so adding a replica, a bead or
/// a new stochastic component never changes the numbers of the existing ones.
public struct StreamKey: Hashable, Sendable {
    public enum Purpose: UInt64, Sendable {
        case dynamics = 1, velocities = 2, alloy = 3, exchange = 4, isotopes = 5
    }

    public var purpose: Purpose
    public var replica: Int
    public var bead: Int

    public init(_ purpose: Purpose, replica: Int = 0, bead: Int = 0) {
        self.purpose = purpose; self.replica = replica; self.bead = bead
    }

    /// The stream number: the purpose alone for replica 0, bead 0 (so a one-replica run draws what
    /// runs drew before replicas existed), with the replica and bead in higher bits.
    public var stream: UInt64 {
        purpose.rawValue | UInt64(replica) << 16 | UInt64(bead) << 40
    }
}

extension RandomStream {
    public init(seed: UInt64, key: StreamKey) { self.init(seed: seed, stream: key.stream) }
}
