/// The sum of several potentials (e.g. EAM + a pair correction); all share one neighbour list built
/// with the largest cutoff, each term filters pairs by its own cutoff and keeps its own scratch.
public struct PotentialSum: Potential {
    public private(set) var terms: [any Potential]

    public init(_ terms: [any Potential]) { self.terms = terms }

    public var name: String { terms.map(\.name).joined(separator: " + ") }
    public var cutoff: Double { terms.map(\.cutoff).max() ?? 0 }

    public mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                                  workers: Workers, into result: inout PotentialResult) {
        for k in terms.indices {
            terms[k].evaluate(configuration, neighbors: neighbors, request: request, workers: workers, into: &result)
        }
    }

    /// Σ of the terms' changes; nil unless every term has the fast path.
    public mutating func speciesChangeEnergy(_ change: Evaluator.SpeciesChange, neighbors: NeighborList) -> Double? {
        var total = 0.0
        for k in terms.indices {
            guard let delta = terms[k].speciesChangeEnergy(change, neighbors: neighbors) else { return nil }
            total += delta
        }
        return total
    }

    public mutating func acceptSpeciesChange() {
        for k in terms.indices { terms[k].acceptSpeciesChange() }
    }

    public mutating func prepareSpeciesChanges(_ configuration: Configuration, neighbors: NeighborList, workers: Workers) {
        for k in terms.indices { terms[k].prepareSpeciesChanges(configuration, neighbors: neighbors, workers: workers) }
    }

    public mutating func setParameters(_ parameters: [String: Double]) {
        for k in terms.indices { terms[k].setParameters(parameters) }
    }

    public func energyChange(under parameters: [String: Double], given result: PotentialResult) -> Double {
        terms.reduce(0) { $0 + $1.energyChange(under: parameters, given: result) }
    }

    public var parameterNames: [String] { terms.flatMap(\.parameterNames) }

    /// Local only when every term is.
    public var local: (any LocalEnergy)? {
        let parts = terms.compactMap(\.local)
        return parts.count == terms.count ? LocalEnergySum(terms: parts) : nil
    }
}

/// The local energies of the terms of a `PotentialSum`, added.
public struct LocalEnergySum: LocalEnergy {
    public let terms: [any LocalEnergy]
    public var cutoff: Double { terms.map(\.cutoff).max() ?? 0 }

    public func localEnergy(of atoms: UnsafeBufferPointer<Int>, neighbors: NeighborList) -> Double {
        terms.reduce(0) { $0 + $1.localEnergy(of: atoms, neighbors: neighbors) }
    }
}
