/// One call of a species move on one microstate: `attempts` trials, each evaluated from the local
/// environments of the changed atoms (O(environment), whatever N), accepted with the Metropolis rule
/// on ΔU + the move's extra cost, or reverted. The neighbour list stays valid throughout (species
/// changes are written into its copies of the atoms; positions do not move). Accepted changes
/// rescale the changed atoms' velocities so each keeps its kinetic energy with its new mass. When
/// anything was accepted, the forces are evaluated again at the end (the next MD step needs them).
public enum MonteCarloStage {
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

    /// Runs the trials; returns how many were accepted. `request` is what the re-evaluation after
    /// accepted trials computes (what the step's operations need). `checkEvery` > 0 compares the
    /// energy tracked from local ΔE with a full evaluation every that many trials (counted over the
    /// run, in `statistics.attempted`), throwing both numbers on a mismatch.
    @discardableResult
    public static func run(_ move: any SpeciesMove, attempts: Int, on state: inout MDState, evaluator: inout Evaluator,
                           thermalEnergy kT: Double, random: inout RandomStream, statistics: inout MoveStatistics,
                           checkEvery: Int = 0, request: PotentialRequest) throws -> Int {
        evaluator.neighbors.prepareNeighborRows()
        var index = SpeciesIndex(state.configuration)
        var accepted = 0
        var tracked = checkEvery > 0 ? evaluator.energyAtCurrentPositions(state.configuration) : 0
        var acceptedSinceCheck = 0
        let masses = state.configuration.speciesTable.masses
        for _ in 0..<attempts {
            guard let (change, extraCost) = move.propose(in: state.configuration, index: index, random: &random) else { break }
            let undo = change.inverse(in: state.configuration)
            let deltaU = evaluator.energyChange(applying: change, to: &state.configuration)
            let cost = deltaU + extraCost
            statistics.attempted += 1
            let accept = cost <= 0 || (kT > 0 && random.uniform() < _exp(-cost / kT))
            if accept {
                evaluator.acceptSpeciesChange()
                accepted += 1
                statistics.accepted += 1
                tracked += deltaU
                acceptedSinceCheck += 1
                undo.forEachChange { atom, old in
                    let new = Int(state.configuration.species[atom])
                    index.move(atom, from: Int(old), to: new)
                    let scale = (masses[Int(old)] / masses[new]).squareRoot()
                    for c in 0..<3 { state.configuration.velocities[3 * atom + c] *= scale }
                }
            } else {
                evaluator.apply(undo, to: &state.configuration)
            }
            if checkEvery > 0 && statistics.attempted % checkEvery == 0 {
                let full = evaluator.energyAtCurrentPositions(state.configuration)
                statistics.checked += 1
                if !(abs(full - tracked) <= checkTolerance(energy: full, acceptedSinceCheck: acceptedSinceCheck)) {
                    throw CheckFailure(move: move.name, trial: statistics.attempted, tracked: tracked, full: full)
                }
                tracked = full
                acceptedSinceCheck = 0
            }
        }
        if accepted > 0 {
            evaluator.evaluateAtCurrentPositions(state.configuration, request: request, into: &state.evaluation)
        }
        return accepted
    }
}
