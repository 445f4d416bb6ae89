/// A Monte Carlo move that changes the species of atoms in place (swap, semi-grand transmutation).
/// A move only proposes; `MonteCarloStage` evaluates ΔE from local environments, accepts or
/// reverts, and keeps the neighbour list, the species index and the velocities consistent. A new
/// move is one type conforming to this protocol.
public protocol SpeciesMove: Sendable {
    /// Name in statistics, thermo columns and checkpoints ("swap", "semi_grand").
    var name: String { get }
    /// A change drawn with a symmetric proposal, and the part of its cost that is not potential
    /// energy (eV): chemical potentials, a variance constraint. Nil when no move is possible. The
    /// index holds the current species of every atom.
    func propose(index: SpeciesIndex, random: inout RandomStream)
        -> (change: Evaluator.SpeciesChange, extraCost: Double)?
}
