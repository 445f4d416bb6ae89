/// Everything a run needs, decoded from the deck and checked before any work starts.
/// File paths are absolute. Units are Crucible's metal units: eV, Å, ps, amu, K, bar.
public struct RunPlan: Sendable, Equatable {
    public var title: String?               // free text, or nil
    public var seed: UInt64                 // master seed of every random stream (default 1)
    public var threads: Int                 // worker threads ≥ 1 (default 1)
    public var system: SystemPlan
    public var potential: [PotentialTermPlan] // the total energy is the sum of these terms
    public var neighbor: NeighborPlan       // skin (Å) added to the cutoff, and when the list is rebuilt
    public var run: RunKind
    public var replicas: ReplicasPlan?      // nil: one replica, outputs named as given
    public var monteCarlo: MonteCarloPlan?  // nil: no Monte Carlo moves
    public var output: OutputPlan
    public var deckPath: String             // absolute path of the deck file
    public var deckText: String             // the deck as read, for provenance in outputs

    public init(title: String?, seed: UInt64, threads: Int, system: SystemPlan, potential: [PotentialTermPlan],
                neighbor: NeighborPlan, run: RunKind, replicas: ReplicasPlan? = nil, monteCarlo: MonteCarloPlan? = nil, output: OutputPlan, deckPath: String, deckText: String) {
        self.title = title
        self.seed = seed
        self.threads = threads
        self.system = system
        self.potential = potential
        self.neighbor = neighbor
        self.run = run
        self.replicas = replicas
        self.monteCarlo = monteCarlo
        self.output = output
        self.deckPath = deckPath
        self.deckText = deckText
    }
}

extension RunPlan {
    /// Names of the collective variables of the potential's bias terms and the ∂U/∂λ of its scaled
    /// terms (`du_d<parameter>`), in term order (thermo `cv` columns).
    public var collectiveVariableNames: [String] {
        potential.compactMap { term in
            switch term {
            case .pinning(let pinning): return pinning.variable.name
            case .scaled(let scaled): return "du_d" + scaled.parameter
            default: return nil
            }
        }
    }
}
