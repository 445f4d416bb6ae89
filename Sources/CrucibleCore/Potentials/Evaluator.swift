import Dispatch

/// Everything one microstate (a replica's bead) needs to evaluate its potential: its own copy of
/// the potential (which owns its scratch memory), its neighbour list and the worker threads.
/// Keeps the list valid (rebuilds on displacement) before evaluating, and answers local energy
/// queries for Monte Carlo in O(environment) (`Evaluator+Local.swift`).
public struct Evaluator: Sendable {
    public internal(set) var potential: any Potential
    public var neighbors: NeighborList
    public var workers: Workers
    /// The potential's local-energy capability, or nil when it has a global term (taken again when
    /// the parameters change: a scaled term's local energies carry its factor).
    public private(set) var local: (any LocalEnergy)?
    /// Wall time spent keeping the neighbour list valid (rebuilds and refreshes), s.
    public private(set) var neighborSeconds = 0.0
    /// Wall time of whole evaluations (list upkeep included), s: the rest of a step is the integrator's.
    public private(set) var evaluationSeconds = 0.0
    /// Evaluations of the whole potential, in steps and in Monte Carlo stages (a cost counter for tests).
    public internal(set) var evaluations = 0
    /// Scratch of the local queries: the atoms of the current environment and a mark per atom.
    var environmentAtoms: [Int] = []
    var environmentMarks: [Bool] = []
    /// Extended atoms examined by local queries so far (a cost counter for tests and statistics).
    public internal(set) var localVisits = 0
    /// The potential's cached per-atom state is current for the list's positions and the species:
    /// `prepareSpeciesChanges` made it and every species change since went through the fast path
    /// (accepted ones moved it on). The next `evaluateWithCurrentList` may start from it.
    var preparedStateCurrent = false
    /// Evaluations that were told the prepared state was current (a counter for tests).
    public internal(set) var evaluationsFromPreparedState = 0

    public init(potential: any Potential, skin: Double, threads: Int = 1) {
        self.potential = potential
        local = potential.local
        neighbors = NeighborList(cutoff: potential.cutoff, skin: skin)
        workers = Workers(threads: threads)
    }

    /// Evaluates `configuration` (which the list may wrap into the cell when it rebuilds) into
    /// `result`, reusing its buffers (an MD step evaluates into the microstate's own result, so no
    /// second copy of the forces exists and no step allocates).
    public mutating func evaluate(_ configuration: inout Configuration, request: PotentialRequest = .all,
                                  into result: inout PotentialResult) {
        updateList(&configuration)
        evaluateWithCurrentList(configuration, request: request, into: &result)
    }

    /// The first half of `evaluate`: brings the list to `configuration`'s positions (rebuilding it,
    /// and wrapping the atoms into the cell, when they moved too far). Species moves made inside a
    /// step call this, then act, then `evaluateWithCurrentList`.
    public mutating func updateList(_ configuration: inout Configuration) {
        let start = DispatchTime.now().uptimeNanoseconds
        preparedStateCurrent = false
        neighbors.update(&configuration, workers: workers)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        neighborSeconds += seconds
        evaluationSeconds += seconds
    }

    /// The second half of `evaluate`: the potential at `configuration`, for which the list is current.
    public mutating func evaluateWithCurrentList(_ configuration: Configuration, request: PotentialRequest,
                                                 into result: inout PotentialResult) {
        let start = DispatchTime.now().uptimeNanoseconds
        result.reset(atomCount: configuration.count, perAtomEnergies: request.contains(.perAtomEnergies))
        let request = preparedStateCurrent ? request.union(.preparedState) : request.subtracting(.preparedState)
        if preparedStateCurrent { evaluationsFromPreparedState += 1 }
        preparedStateCurrent = false
        potential.evaluate(configuration, neighbors: neighbors, request: request, workers: workers, into: &result)
        evaluations += 1
        evaluationSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// Brings the potential's cached per-atom state (what local species-change energies read) to
    /// `configuration`, whose positions moved since the last evaluation; the list must be current.
    public mutating func prepareSpeciesChanges(_ configuration: Configuration) {
        potential.prepareSpeciesChanges(configuration, neighbors: neighbors, workers: workers)
        preparedStateCurrent = true
    }

    /// Evaluates `configuration` into a new result.
    @discardableResult
    public mutating func evaluate(_ configuration: inout Configuration, request: PotentialRequest = .all) -> PotentialResult {
        var result = PotentialResult()
        evaluate(&configuration, request: request, into: &result)
        return result
    }

    /// Gives the potential the Hamiltonian parameters of the replica's thermodynamic state.
    public mutating func setParameters(_ parameters: [String: Double]) {
        potential.setParameters(parameters)
        local = potential.local
    }
}
