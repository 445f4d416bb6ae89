/// What a caller wants from an evaluation. Asking for less is cheaper (a thermo-free MD step needs
/// only forces). Monte Carlo asks for local energies through `LocalEnergy`, not through a request.
public struct PotentialRequest: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let energy = PotentialRequest(rawValue: 1)
    public static let forces = PotentialRequest(rawValue: 2)
    public static let virial = PotentialRequest(rawValue: 4)
    public static let perAtomEnergies = PotentialRequest(rawValue: 8)
    public static let all: PotentialRequest = [.energy, .forces, .virial, .perAtomEnergies]
    /// The per-atom state `prepareSpeciesChanges` cached at these positions, carried through the
    /// species changes since by the accepted trials, is current: a potential may start from it
    /// instead of recomputing it (EAM: the densities). Set by the evaluator only, for the step's
    /// own evaluation after in-step species moves that all went through the fast path.
    public static let preparedState = PotentialRequest(rawValue: 16)
}

/// An interatomic potential evaluated in-process: a description (parameters, tables) plus the
/// scratch memory its loops reuse from step to step. Each evaluator holds its own copy, so every
/// replica and bead owns its scratch and a global term (a bias) owns its own too; scratch is
/// allocated on the first evaluation of a copy.
/// Dispatch through this protocol happens once per evaluation; the pair loops inside are concrete.
public protocol Potential: Sendable {
    /// Name for logs (e.g. "eam Cu_u3.eam").
    var name: String { get }
    /// Interaction range, Å. The neighbour list is built with the largest cutoff of all terms.
    var cutoff: Double { get }
    /// Adds this potential's contributions for `configuration` to `result` (energy, forces, virial,
    /// per-atom energies as requested, and any named terms it reports).
    /// `neighbors` is valid (built or refreshed) for `configuration`.
    mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                           workers: Workers, into result: inout PotentialResult)
    /// This potential as a sum of local per-atom energies, or nil when it has a global term.
    var local: (any LocalEnergy)? { get }
    /// The fast path of Monte Carlo: the energy change (eV) of `change` (not yet applied: the
    /// list holds the old species, `extendedSpecies`) from the changed atoms' neighbourhoods and
    /// per-atom state cached at the last evaluation (EAM: the densities), staging the new state;
    /// nil when the potential cannot (a global term, or no evaluation at these positions yet).
    mutating func speciesChangeEnergy(_ change: Evaluator.SpeciesChange, neighbors: NeighborList) -> Double?
    /// Makes the state staged by the last `speciesChangeEnergy` the cached state (the change was accepted).
    mutating func acceptSpeciesChange()
    /// Brings the per-atom state the fast path reads (EAM: densities and embedding energies; the ML
    /// model: per-atom energies) to the current positions of `configuration`, for which `neighbors`
    /// is current, when they moved since the last evaluation: species moves made between a step's
    /// drift and its force evaluation, so that evaluation is the only one of the step. Default:
    /// nothing cached, nothing to do.
    mutating func prepareSpeciesChanges(_ configuration: Configuration, neighbors: NeighborList, workers: Workers)
    /// Takes the Hamiltonian parameters of a replica's thermodynamic state that this term declares
    /// (e.g. a bias's `<cv>.center`); others are ignored. Default: none declared.
    mutating func setParameters(_ parameters: [String: Double])
    /// How much this term's energy of the configuration last evaluated (`result`, that evaluation)
    /// would change if `parameters` were its Hamiltonian parameters: the cross energy Hamiltonian
    /// replica exchange needs, read from what the evaluation reported (a bias's CV value, a scaled
    /// term's unscaled energy), so an exchange costs no new evaluation. Default 0: no parameters.
    func energyChange(under parameters: [String: Double], given result: PotentialResult) -> Double
    /// The parameter names this term reads from a state (`setParameters`); a deck may set only these.
    var parameterNames: [String] { get }
}

extension Potential {
    public var local: (any LocalEnergy)? { self as? any LocalEnergy }
    public mutating func speciesChangeEnergy(_ change: Evaluator.SpeciesChange, neighbors: NeighborList) -> Double? { nil }
    public mutating func acceptSpeciesChange() {}
    public mutating func prepareSpeciesChanges(_ configuration: Configuration, neighbors: NeighborList, workers: Workers) {}
    public mutating func setParameters(_ parameters: [String: Double]) {}
    public func energyChange(under parameters: [String: Double], given result: PotentialResult) -> Double { 0 }
    public var parameterNames: [String] { [] }
}

/// The capability Monte Carlo needs: the energy is a sum of per-atom energies, each depending only
/// on the atoms within `cutoff`, so the energy change of a species change is the change of the
/// per-atom energies of the atoms within `cutoff` of the changed ones. Global terms (biases on a
/// collective variable) do not conform, and a sum conforms only when all its terms do.
public protocol LocalEnergy: Sendable {
    var cutoff: Double { get }
    /// Σ of the per-atom energies of `atoms` (eV), from their neighbourhoods in `neighbors` only,
    /// with the convention of `perAtomEnergies` (pair energies split half and half). Costs
    /// O(atoms × neighbours); the list must be current for the positions and species.
    func localEnergy(of atoms: UnsafeBufferPointer<Int>, neighbors: NeighborList) -> Double
}

/// Scratch memory a potential's loops reuse from one evaluation to the next; empty until first used.
public protocol ScratchMemory: Sendable { init() }

/// A potential that carries its scratch memory: the one mechanism by which every term owns its
/// scratch. It implements `evaluate(…, scratch:, into:)`; the `Potential` entry point moves the
/// scratch out of `self` while the loops run (so it stays uniquely referenced, never copied, while
/// the loops read `self`'s tables) and back afterwards.
public protocol ScratchOwningPotential: Potential {
    associatedtype Scratch: ScratchMemory
    var scratch: Scratch { get set }
    func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                  workers: Workers, scratch: inout Scratch, into result: inout PotentialResult)
}

extension ScratchOwningPotential {
    public mutating func evaluate(_ configuration: Configuration, neighbors: NeighborList, request: PotentialRequest,
                                  workers: Workers, into result: inout PotentialResult) {
        var scratch = Scratch()
        swap(&scratch, &self.scratch)
        evaluate(configuration, neighbors: neighbors, request: request, workers: workers, scratch: &scratch, into: &result)
        swap(&scratch, &self.scratch)
    }
}
