/// One call of a species move on one microstate: `attempts` trials, each evaluated from the local
/// environments of the changed atoms (O(environment), whatever N), accepted with the Metropolis rule
/// on ΔU + the move's extra cost, or reverted. The neighbour list stays valid throughout (species
/// changes are written into its copies of the atoms; positions do not move). Accepted changes
/// rescale the changed atoms' velocities so each keeps its kinetic energy with its new mass.
///
/// A stage sits either inside an MD step, between the drift and the force evaluation (`.beforeForces`:
/// the potentials first bring their cached per-atom state to the moved positions, and the step's
/// own evaluation then gives the forces of the new species: one evaluation per step, as without
/// Monte Carlo), or after an evaluation at the current positions (`.afterEvaluation`: the cached
/// state is current, and when anything was accepted the forces are evaluated again at the end).
public enum MonteCarloStage {
    public enum Placement: Sendable { case beforeForces, afterEvaluation }

    /// A self-check found the local ΔE disagreeing with full evaluations.
    public struct CheckFailure: Error, CustomStringConvertible {
        public var move: String
        public var trial: Int
        public var tracked: Double
        public var full: Double
        public var description: String {
            "Monte Carlo self-check failed for '\(move)' at trial \(trial): energy tracked from local ΔE " +
                "\(tracked) eV, full evaluation \(full) eV (difference \(tracked - full) eV)"
        }
    }

    /// Tolerance of the self-check: local ΔE equals the full ΔE to rounding (1e-10 eV per trial in
    /// the tests); the tracked sum may drift by rounding of the totals.
    static func checkTolerance(energy: Double, acceptedSinceCheck: Int) -> Double {
        1e-9 + 1e-10 * Double(acceptedSinceCheck) + 1e-13 * abs(energy)
    }

    /// Runs the trials on every bead of `replica` together; returns how many were accepted. A trial
    /// changes the species of the same atoms in every bead (a ring polymer keeps one species); its
    /// cost is the bead average of the beads' ΔU, plus, for P > 1 beads, the change of the springs'
    /// energy per bead Σ_changed ½ Δm_i ω_P² Σ_j |u_ij − u_i,j+1|² / P (the springs hold the mass)
    /// and −(3(P−1)/2) k_B T ln(m_new/m_old) per changed atom (the ring's mass normalisation beyond the
    /// classical one; it cancels in a swap). For one bead both are absent: the classical move. `request` is what the
    /// re-evaluation after accepted trials computes (what the step's operations need; `.afterEvaluation` only). `checkEvery`
    /// > 0 compares the energy tracked from local ΔE with full evaluations every that many trials
    /// (counted over the run, in the move's statistics), throwing both numbers on a mismatch. Random
    /// numbers come from the replica's Monte Carlo stream; statistics go to `replica.monteCarlo`
    /// under the move's name.
    @discardableResult
    public static func run(_ move: any SpeciesMove, attempts: Int, on replica: inout Replica, checkEvery: Int = 0,
                           placement: Placement = .afterEvaluation, request: PotentialRequest) throws -> Int {
        var random = replica.monteCarlo.random
        var statistics = replica.monteCarlo.statistics[move.name, default: MoveStatistics()]
        defer {
            replica.monteCarlo.random = random
            replica.monteCarlo.statistics[move.name] = statistics
        }
        let beads = replica.beads.count
        let kT = replica.thermodynamics.thermalEnergy
        for b in 0..<beads {
            replica.evaluators[b].neighbors.prepareNeighborRows(replica.beads[b].configuration)
            if placement == .beforeForces { replica.evaluators[b].prepareSpeciesChanges(replica.beads[b].configuration) }
        }
        var index = SpeciesIndex(replica.beads[0].configuration)
        var accepted = 0
        // The self-check evaluates on copies of the evaluators, so the state the trials read (EAM's
        // cached densities) is left as the trials made it: the check cannot repair what it checks.
        func fullEnergy(_ replica: Replica) -> Double {
            (0..<beads).reduce(0.0) { total, b in
                var probe = replica.evaluators[b]
                return total + probe.energyAtCurrentPositions(replica.beads[b].configuration)
            }
        }
        var tracked = checkEvery > 0 ? fullEnergy(replica) : 0
        var acceptedSinceCheck = 0
        let masses = replica.beads[0].configuration.speciesTable.masses
        // ½ ω_P² / P in eV per (amu Å²), for the springs' share of a mass change.
        let omegaP = Double(beads) * kT / Units.hbar
        let springFactor = 0.5 * omegaP * omegaP * Units.kineticToEV / Double(beads)
        for _ in 0..<attempts {
            guard let (change, extraCost) = move.propose(index: index, random: &random) else { break }
            let undo = change.inverse(species: index.species)
            var deltaU = 0.0
            for b in 0..<beads { deltaU += replica.evaluators[b].energyChange(applying: change, to: &replica.beads[b].configuration) }
            var cost = deltaU / Double(beads) + extraCost
            if beads > 1 {
                undo.forEachChange { atom, old in
                    let new = Int(change.newSpecies(of: atom)!)
                    cost += springFactor * (masses[new] - masses[Int(old)]) * replica.ringStretch(of: atom)
                    // The ring's normalisation (m P/2πβħ²)^(3P/2) beyond the classical m^(3/2) that the
                    // chemical potentials absorb (it cancels in a swap).
                    cost -= 1.5 * Double(beads - 1) * kT * _log(masses[new] / masses[Int(old)])
                }
            }
            statistics.attempted += 1
            let accept = cost <= 0 || (kT > 0 && random.uniform() < _exp(-cost / kT))
            if accept {
                accepted += 1
                statistics.accepted += 1
                tracked += deltaU
                acceptedSinceCheck += 1
                for b in 0..<beads { replica.evaluators[b].acceptSpeciesChange() }
                undo.forEachChange { atom, old in
                    let new = Int(change.newSpecies(of: atom)!)
                    index.move(atom, from: Int(old), to: new)
                    let scale = (masses[Int(old)] / masses[new]).squareRoot()
                    for b in 0..<beads { for c in 0..<3 { replica.beads[b].configuration.velocities[3 * atom + c] *= scale } }
                }
            } else {
                for b in 0..<beads { replica.evaluators[b].revert(undo, to: &replica.beads[b].configuration) }
            }
            if checkEvery > 0 && statistics.attempted % checkEvery == 0 {
                let full = fullEnergy(replica)
                statistics.checked += 1
                if !(abs(full - tracked) <= checkTolerance(energy: full, acceptedSinceCheck: acceptedSinceCheck) * Double(beads)) {
                    throw CheckFailure(move: move.name, trial: statistics.attempted, tracked: tracked, full: full)
                }
                tracked = full
                acceptedSinceCheck = 0
            }
        }
        if accepted > 0 && placement == .afterEvaluation {
            for b in 0..<beads {
                replica.evaluators[b].evaluateAtCurrentPositions(replica.beads[b].configuration, request: request, into: &replica.beads[b].evaluation)
            }
        }
        return accepted
    }
}

extension Replica {
    /// Σ_j |u_ij − u_i,j+1|² of atom i's ring, Å² (bead displacements taken in bead 0's image).
    func ringStretch(of atom: Int) -> Double {
        let reference = beads[0].configuration.images
        func position(_ j: Int) -> SIMD3<Double> {
            let configuration = beads[j].configuration
            let x = SIMD3(configuration.positions[3 * atom], configuration.positions[3 * atom + 1], configuration.positions[3 * atom + 2])
            return x + (Replica.imageShift(configuration.images, reference, atom: atom, cell: configuration.cell.matrix) ?? .zero)
        }
        let first = position(0)
        var previous = first, sum = 0.0
        for j in 1..<beads.count {
            let x = position(j)
            sum += ((x - previous) * (x - previous)).sum()
            previous = x
        }
        sum += ((first - previous) * (first - previous)).sum()
        return sum
    }
}
