import Dispatch

/// Everything one replica needs to evaluate its potential: the potential, its neighbour list, scratch
/// memory and the worker threads. Keeps the list valid (rebuilds on displacement) before evaluating.
public struct Evaluator: Sendable {
    public let potential: any Potential
    public var neighbors: NeighborList
    public var workspace = Workspace()
    public var workers: Workers
    /// Energy, forces, virial … of the last evaluation.
    public private(set) var result = PotentialResult()
    /// Wall time spent keeping the neighbour list valid (rebuilds and refreshes), s.
    public private(set) var neighborSeconds = 0.0

    public init(potential: any Potential, skin: Double, threads: Int = 1) {
        self.potential = potential
        neighbors = NeighborList(cutoff: potential.cutoff, skin: skin)
        workers = Workers(threads: threads)
    }

    /// Evaluates `configuration` (which the list may wrap into the cell when it rebuilds).
    @discardableResult
    public mutating func evaluate(_ configuration: inout Configuration, request: PotentialRequest = .all) -> PotentialResult {
        let start = DispatchTime.now().uptimeNanoseconds
        neighbors.update(&configuration, workers: workers)
        neighborSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        result.reset(atomCount: configuration.count)
        potential.evaluate(configuration, neighbors: neighbors, request: request, workspace: &workspace,
                           workers: workers, into: &result)
        return result
    }

    /// Σ of the per-atom energies of `atoms`, locally (the list must be current for `configuration`).
    public mutating func energyOfEnvironments(_ atoms: [Int], configuration: Configuration) -> Double {
        neighbors.refresh(configuration)
        return potential.energyOfEnvironments(atoms, configuration: configuration, neighbors: neighbors)
    }
}
