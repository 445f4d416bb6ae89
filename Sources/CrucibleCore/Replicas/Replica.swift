/// One member of a run: the thermodynamic state it samples and its microstates (beads; one per
/// replica until path integrals), each with its own evaluator (potential copy with its scratch,
/// neighbour list). A plain run is one replica; replica exchange permutes `thermodynamics` between
/// replicas; the microstates stay where they are.
public struct Replica: Sendable {
    /// Position of this replica in the run (keys its random streams, outputs and checkpoint entries).
    public let index: Int
    public var thermodynamics: ThermodynamicState
    public var beads: [MDState]
    public var evaluators: [Evaluator]
    /// The random stream and statistics of its Monte Carlo moves.
    public var monteCarlo: MonteCarloState

    public init(index: Int, thermodynamics: ThermodynamicState, beads: [MDState], evaluators: [Evaluator], monteCarlo: MonteCarloState) {
        precondition(beads.count == evaluators.count && !beads.isEmpty)
        self.index = index
        self.thermodynamics = thermodynamics
        self.beads = beads
        self.evaluators = evaluators
        self.monteCarlo = monteCarlo
    }

    /// Steps taken (every bead advances together).
    public var step: Int { beads[0].step }
}
