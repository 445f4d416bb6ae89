/// The replicas of a run: independent copies of the system advanced together, each with its own
/// thermodynamic state, random streams and output files. No `replicas` block: one replica, outputs
/// named as the deck says.
public struct ReplicasPlan: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var index: Int               // keys the replica's random streams and output names
        public var temperature: Double?     // K; nil: the thermostat's (and velocities') temperature
        public var pressure: Double?        // bar; nil: the barostat's pressure
        /// Hamiltonian parameters of the replica's state (e.g. "fourier.center" of a pinning bias);
        /// set by workflows, not by decks yet.
        public var parameters: [String: Double]

        public init(index: Int, temperature: Double? = nil, pressure: Double? = nil, parameters: [String: Double] = [:]) {
            self.index = index; self.temperature = temperature; self.pressure = pressure; self.parameters = parameters
        }
    }

    /// Replica exchange between the members' thermodynamic states (state k starts in replica k).
    public struct ExchangePlan: Sendable, Equatable {
        public enum Pairing: String, Sendable, Equatable, CaseIterable { case alternate, all }
        public var every: Int               // MD steps ≥ 1 between exchange rounds
        public var pairing: Pairing         // default alternate (neighbouring states, odd/even rounds)
        public var path: String?            // CSV of the replica holding each state after each round; nil: none
        public init(every: Int, pairing: Pairing, path: String?) { self.every = every; self.pairing = pairing; self.path = path }
    }

    public var members: [Member]            // ≥ 1, indices distinct
    public var exchange: ExchangePlan?      // nil: independent replicas

    public init(members: [Member], exchange: ExchangePlan? = nil) { self.members = members; self.exchange = exchange }
}
