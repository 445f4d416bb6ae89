import Dispatch

/// A Monte Carlo species move (swap, semi-grand) made in every replica every `every` steps, inside
/// that step between the drift and the force evaluation (so the step's one evaluation gives the new
/// species' forces), on the replica's own thread (`MonteCarloStage`). The move's random numbers come
/// from the replica's alloy stream; statistics are kept in the replica under the move's name.
final class SpeciesMoveOperation: TriggeredOperation, BeforeForcesOperation {
    let trigger: Trigger
    /// The self-check compares with full energies; otherwise a move needs nothing from the step.
    let needs: PotentialRequest = []
    let move: any SpeciesMove
    let attempts: Int
    let checkEvery: Int
    /// What every force evaluation must give the integrator (the re-evaluation after accepted moves too).
    let integratorNeeds: PotentialRequest

    init(move: any SpeciesMove, every: Int, attempts: Int, checkEvery: Int, integrator: MDIntegrator) {
        trigger = Trigger(period: every)
        self.move = move
        self.attempts = attempts
        self.checkEvery = checkEvery
        integratorNeeds = integrator.minimumRequest
    }

    /// On its own, after an evaluation at the current positions (a step-0 trigger): evaluates again
    /// after accepted trials.
    func perform(on replica: inout Replica, step: Int, request: PotentialRequest) throws {
        try run(on: &replica, step: step, placement: .afterEvaluation, request: request.union(integratorNeeds))
    }

    func performBeforeForces(on replica: inout Replica, step: Int) throws {
        try run(on: &replica, step: step, placement: .beforeForces, request: [])
    }

    private func run(on replica: inout Replica, step: Int, placement: MonteCarloStage.Placement, request: PotentialRequest) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { replica.monteCarlo.seconds[move.name, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 }
        do {
            try MonteCarloStage.run(move, attempts: attempts, on: &replica, checkEvery: checkEvery, placement: placement, request: request)
        } catch let failure as MonteCarloStage.CheckFailure {
            throw MonteCarloCheckError(description: "replica \(replica.index), step \(step): \(failure)")
        }
    }

    func report(_ run: ReplicaRun) -> [String] {
        run.replicas.map { replica in
            let s = replica.monteCarlo.statistics[move.name] ?? MoveStatistics()
            let checked = s.checked > 0 ? ", \(s.checked) checked against full evaluations" : ""
            // Wall time of the move's calls (the trials and the per-atom state prepared for them;
            // the step's evaluation then saves EAM's density pass: Benchmarks/mc_bench.py times the
            // moves as the run's extra time instead).
            let seconds = replica.monteCarlo.seconds[move.name] ?? 0
            let rate = seconds > 0 ? String(format: "; %.4g trials/s", Double(s.attempted) / seconds) : ""
            return String(format: "Monte Carlo %@ (replica %d, %.6g K): %d of %d accepted (%.4f)%@%@", move.name, replica.index,
                          replica.thermodynamics.temperature, s.accepted, s.attempted, s.acceptance, checked, rate)
        }
    }
}

struct MonteCarloCheckError: Error, CustomStringConvertible {
    var description: String
}
