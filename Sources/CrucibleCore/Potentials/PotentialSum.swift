/// The sum of several potentials (e.g. EAM + a pair correction); all share one neighbour list built
/// with the largest cutoff, each term filters pairs by its own cutoff.
public struct PotentialSum: Potential {
    public let terms: [any Potential]

    public init(_ terms: [any Potential]) { self.terms = terms }

    public var name: String { terms.map(\.name).joined(separator: " + ") }
    public var cutoff: Double { terms.map(\.cutoff).max() ?? 0 }

    public func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                         workspace: inout Workspace, workers: Workers, into result: inout PotentialResult) {
        for term in terms {
            term.evaluate(configuration, neighbors: neighbors, request: request, workspace: &workspace,
                          workers: workers, into: &result)
        }
    }

    public func energyOfEnvironments(_ atoms: [Int], configuration: Configuration, neighbors: NeighborList) -> Double {
        terms.reduce(0) { $0 + $1.energyOfEnvironments(atoms, configuration: configuration, neighbors: neighbors) }
    }
}
