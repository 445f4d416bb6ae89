/// One member of a run: the thermodynamic state it samples and its microstates (beads: one for
/// classical MD, P for a ring polymer), each with its own evaluator (potential copy with its
/// scratch, neighbour list). A plain run is one replica; replica exchange permutes `thermodynamics` between
/// replicas; the microstates stay where they are.
public struct Replica: Sendable {
    /// Position of this replica in the run (keys its random streams, outputs and checkpoint entries).
    public let index: Int
    public var thermodynamics: ThermodynamicState
    public var beads: [MDState]
    public var evaluators: [Evaluator]
    /// The random stream and statistics of its Monte Carlo moves.
    public var monteCarlo: MonteCarloState
    /// Threads over this replica's beads (each bead's evaluator has its own threads for its atoms).
    public var beadWorkers = Workers.serial
    /// Normal-mode transform buffers of a ring polymer (empty for one bead).
    public var normalModeScratch = NormalModeScratch()

    public init(index: Int, thermodynamics: ThermodynamicState, beads: [MDState], evaluators: [Evaluator], monteCarlo: MonteCarloState) {
        precondition(beads.count == evaluators.count && !beads.isEmpty)
        self.index = index
        self.thermodynamics = thermodynamics
        self.beads = beads
        self.evaluators = evaluators
        self.monteCarlo = monteCarlo
        applyParameters()
    }

    /// The state's Hamiltonian parameters into every bead's potential (at creation and whenever the
    /// state changes).
    public mutating func applyParameters() {
        guard !thermodynamics.parameters.isEmpty else { return }
        for b in evaluators.indices { evaluators[b].setParameters(thermodynamics.parameters) }
    }

    /// Bead average of how much the potential energy of the current configuration would change
    /// under other Hamiltonian parameters, from the last evaluation (no new one).
    public func meanEnergyChange(under parameters: [String: Double]) -> Double {
        var sum = 0.0
        for b in beads.indices { sum += evaluators[b].potential.energyChange(under: parameters, given: beads[b].evaluation) }
        return sum / Double(beads.count)
    }

    /// Steps taken (every bead advances together).
    public var step: Int { beads[0].step }

    /// Runs `body` for every bead with its evaluator, beads in parallel on `beadWorkers` (each
    /// writes only its own bead, so results do not depend on the thread count).
    public mutating func forEachBead(_ body: (inout MDState, inout Evaluator) -> Void) {
        let workers = beadWorkers
        beads.withUnsafeMutableBufferPointer { beads in
            evaluators.withUnsafeMutableBufferPointer { evaluators in
                workers.forEach(beads.count) { b in body(&beads[b], &evaluators[b]) }
            }
        }
    }
}
