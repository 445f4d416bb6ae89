/// Replica exchange (parallel tempering, also in pressure): permutes the thermodynamic states of
/// the replicas; configurations stay where they are. States are indexed 0…K−1 in ladder order;
/// exchanges are tried between neighbouring states (pairs (0,1), (2,3), … and (1,2), (3,4), … on
/// alternate rounds) or between all pairs in turn. A swap of states s (replica i) and t (replica j)
/// is accepted with probability
///
///     min(1, exp[(β_s − β_t)(U_i − U_j) + (β_s P_s − β_t P_t)(V_i − V_j)
///                − β_t (U_t(x_i) − U_s(x_i)) − β_s (U_s(x_j) − U_t(x_j))])
///
/// (the exact ratio of the two states' Boltzmann weights for constant-T and constant-(N,P,T)
/// ensembles; the last two terms only for states with different Hamiltonian parameters), using the
/// potential energies the last step computed: the energies under the other state's parameters come
/// from what that evaluation reported (`Potential.energyChange`), so no exchange evaluates forces. The
/// momenta of a replica that changes temperature are scaled by √(T_new/T_old), so the kinetic
/// energy matches its new state; the change goes to the replica's bath energy, so its conserved
/// quantity stays continuous.
///
/// Bookkeeping: attempts and acceptances per pair of states, and round trips of each replica
/// (from state 0 to state K−1 and back to 0) with their durations in steps.
public struct ReplicaExchange: Equatable, Sendable {
    public enum Pairing: String, Sendable, CaseIterable { case alternate, all }

    public let pairing: Pairing
    public let stateCount: Int
    /// Stream keyed by (exchange, replica 0).
    public var random: RandomStream
    /// Rounds made so far (alternate pairing: round parity picks even or odd pairs).
    public var rounds = 0
    /// K×K counts by (lower state, higher state).
    public var attempted: [Int]
    public var accepted: [Int]
    /// Per replica: 0 none yet, 1 last end visited was state 0, 2 reached K−1 since then.
    public var tripPhase: [Int]
    /// Per replica: step at which the current round trip started (arrival at state 0).
    public var tripStart: [Int]
    public var roundTrips: [Int]
    /// Per replica: steps of completed round trips, summed.
    public var roundTripSteps: [Int]

    public init(pairing: Pairing, stateCount: Int, random: RandomStream) {
        self.pairing = pairing
        self.stateCount = stateCount
        self.random = random
        attempted = [Int](repeating: 0, count: stateCount * stateCount)
        accepted = attempted
        tripPhase = [Int](repeating: 0, count: stateCount)
        tripStart = tripPhase
        roundTrips = tripPhase
        roundTripSteps = tripPhase
    }

    /// The pairs of states tried in the next round.
    func pairsOfNextRound() -> [(Int, Int)] {
        switch pairing {
        case .alternate:
            return stride(from: rounds % 2, to: stateCount - 1, by: 2).map { ($0, $0 + 1) }
        case .all:
            return (0..<stateCount).flatMap { s in ((s + 1)..<stateCount).map { (s, $0) } }
        }
    }

    /// The log of the acceptance probability of exchanging the states of replicas a and b. For ring
    /// polymers of P beads the weight of a configuration at β is exp(−β V̄ − P S/(2βħ²)) with V̄ the
    /// bead average of the potential energy and S = Σ_j Σ_i m_i |q_ij − q_i,j+1|² (the springs
    /// depend on the temperature), which gives the extra term P/(2ħ²) (1/β_a − 1/β_b)(S_a − S_b);
    /// for one bead S = 0 and this is the classical criterion.
    public static func logAcceptance(_ a: Replica, _ b: Replica) -> Double {
        let sa = a.thermodynamics, sb = b.thermodynamics
        let betaA = 1 / sa.thermalEnergy, betaB = 1 / sb.thermalEnergy
        var exponent = (betaA - betaB) * (a.meanPotentialEnergy - b.meanPotentialEnergy)
        if a.beads.count > 1 {
            let springs = Double(a.beads.count) * Units.kineticToEV / (2 * Units.hbar * Units.hbar)
            exponent += springs * (1 / betaA - 1 / betaB) * (a.springSum - b.springSum)
        }
        if sa.parameters != sb.parameters {
            // Hamiltonian states: −β_b [U_b(x_a) − U_a(x_a)] − β_a [U_a(x_b) − U_b(x_b)], the cross
            // energies from what the last evaluation reported (bead averages for ring polymers).
            exponent -= betaB * a.meanEnergyChange(under: sb.parameters) + betaA * b.meanEnergyChange(under: sa.parameters)
        }
        if let pa = sa.pressure, let pb = sb.pressure {
            let va = a.beads[0].configuration.cell.volume, vb = b.beads[0].configuration.cell.volume
            exponent += (betaA * pa - betaB * pb) / Units.pressureToBar * (va - vb)
        }
        return exponent
    }

    /// One round of exchanges at `step`; returns the number accepted.
    @discardableResult
    public mutating func round(_ replicas: inout [Replica], step: Int) -> Int {
        var holder = [Int](repeating: 0, count: stateCount)
        for (r, replica) in replicas.enumerated() { holder[replica.thermodynamics.index] = r }
        var acceptedNow = 0
        for (s, t) in pairsOfNextRound() {
            let i = holder[s], j = holder[t]
            attempted[s * stateCount + t] += 1
            let exponent = Self.logAcceptance(replicas[i], replicas[j])
            guard exponent >= 0 || random.uniform() < _exp(exponent) else { continue }
            accepted[s * stateCount + t] += 1
            acceptedNow += 1
            let a = replicas[i].thermodynamics, b = replicas[j].thermodynamics
            Self.moveState(b, to: &replicas[i])
            Self.moveState(a, to: &replicas[j])
            holder[s] = j; holder[t] = i
        }
        rounds += 1
        for (r, replica) in replicas.enumerated() { recordVisit(replica: r, state: replica.thermodynamics.index, step: step) }
        return acceptedNow
    }

    /// Gives `replica` the state `new`, scaling its momenta to the new temperature. Ring polymers'
    /// springs stiffen with the temperature (ω_P = P k_B T/ħ): the change of their energy goes to
    /// bead 0's bath energy, with the kinetic energy's, so the conserved quantity stays continuous.
    static func moveState(_ new: ThermodynamicState, to replica: inout Replica) {
        let old = replica.thermodynamics.temperature
        replica.thermodynamics = new
        replica.applyParameters()
        guard old > 0, new.temperature != old else { return }
        if replica.beads.count > 1 {
            let p = Double(replica.beads.count)
            let omegaOld = p * Units.boltzmann * old / Units.hbar, omegaNew = p * Units.boltzmann * new.temperature / Units.hbar
            replica.beads[0].bathEnergy += 0.5 * (omegaNew * omegaNew - omegaOld * omegaOld) * replica.springSum * Units.kineticToEV
        }
        let scale = (new.temperature / old).squareRoot()
        for b in replica.beads.indices {
            let before = replica.beads[b].configuration.kineticEnergy
            for k in replica.beads[b].configuration.velocities.indices { replica.beads[b].configuration.velocities[k] *= scale }
            replica.beads[b].bathEnergy += replica.beads[b].configuration.kineticEnergy - before
        }
    }

    mutating func recordVisit(replica r: Int, state: Int, step: Int) {
        if state == 0 {
            if tripPhase[r] == 2 { roundTrips[r] += 1; roundTripSteps[r] += step - tripStart[r] }
            if tripPhase[r] != 1 { tripStart[r] = step }
            tripPhase[r] = 1
        } else if state == stateCount - 1 && tripPhase[r] == 1 {
            tripPhase[r] = 2
        }
    }

    /// Accepted / attempted between states s and t (either order); nil if never tried.
    public func acceptance(_ s: Int, _ t: Int) -> Double? {
        let k = min(s, t) * stateCount + max(s, t)
        return attempted[k] > 0 ? Double(accepted[k]) / Double(attempted[k]) : nil
    }
}

extension ReplicaExchange: Checkpointable {
    public func save(into record: inout CheckpointRecord, as prefix: String) {
        random.save(into: &record, as: prefix + "random/")
        record.strings[prefix + "pairing"] = pairing.rawValue
        record.integers[prefix + "rounds"] = [Int64(rounds)]
        for (name, values) in [("attempted", attempted), ("accepted", accepted), ("trip_phase", tripPhase), ("trip_start", tripStart),
                               ("round_trips", roundTrips), ("round_trip_steps", roundTripSteps)] {
            record.integers[prefix + name] = values.map(Int64.init)
        }
    }

    public init(from record: CheckpointRecord, as prefix: String) throws {
        guard let pairing = Pairing(rawValue: try record.string(prefix + "pairing")) else {
            throw CheckpointError.malformed(prefix + "pairing", "unknown pairing")
        }
        let trips = try record.integers(prefix + "round_trips")
        self.init(pairing: pairing, stateCount: trips.count, random: try RandomStream(from: record, as: prefix + "random/"))
        rounds = Int(try record.integer(prefix + "rounds"))
        func read(_ name: String, _ count: Int) throws -> [Int] {
            let values = try record.integers(prefix + name)
            guard values.count == count else { throw CheckpointError.malformed(prefix + name, "expected \(count) values") }
            return values.map { Int($0) }
        }
        let k = stateCount
        attempted = try read("attempted", k * k); accepted = try read("accepted", k * k)
        tripPhase = try read("trip_phase", k); tripStart = try read("trip_start", k)
        roundTrips = try read("round_trips", k); roundTripSteps = try read("round_trip_steps", k)
    }
}
