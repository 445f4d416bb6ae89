/// The replicas of a run: independent copies of the system advanced together, each with its own
/// thermodynamic state, random streams and output files. No `replicas` block: one replica, outputs
/// named as the deck says.
public struct ReplicasPlan: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var index: Int               // keys the replica's random streams and output names
        public var temperature: Double?     // K; nil: the thermostat's (and velocities') temperature
        public var pressure: Double?        // bar; nil: the barostat's pressure

        public init(index: Int, temperature: Double? = nil, pressure: Double? = nil) {
            self.index = index; self.temperature = temperature; self.pressure = pressure
        }
    }

    public var members: [Member]            // ≥ 1, indices distinct

    public init(members: [Member]) { self.members = members }
}
