/// Semi-grand canonical transmutation: one atom changes species at fixed total number of atoms,
/// sampling exp(−β[U − Σ_s μ_s N_s]) over the compositions of the chosen species; with a variance
/// constraint (VC-SGC, Sadigh et al., PRB 85, 184203 (2012)) the weight gains
/// exp(−β κ N Σ_s (c_s − c⁰_s)²) over the constrained species, which holds each concentration near
/// c⁰_s and makes two-phase (miscibility-gap) compositions reachable.
///
/// Proposal: a uniformly random atom among the atoms of the chosen species, and a uniformly random
/// new species among the other chosen species; both counts are unchanged by the move, so the
/// proposal is symmetric.
public struct SemiGrandMove: SpeciesMove {
    public let name = "semi_grand"
    /// Species taking part, with their chemical potentials μ_s (eV); only differences matter.
    public let chemicalPotentials: [(species: Int, mu: Double)]
    /// Variance constraint: κ (eV) and the target concentration of each constrained species.
    public let variance: (kappa: Double, targets: [(species: Int, concentration: Double)])?

    public init(chemicalPotentials: [(species: Int, mu: Double)],
                variance: (kappa: Double, targets: [(species: Int, concentration: Double)])? = nil) {
        precondition(chemicalPotentials.count >= 2)
        self.chemicalPotentials = chemicalPotentials
        self.variance = variance
    }

    public func propose(index: SpeciesIndex, random: inout RandomStream)
        -> (change: Evaluator.SpeciesChange, extraCost: Double)? {
        let total = chemicalPotentials.reduce(0) { $0 + index.count(of: $1.species) }
        guard total > 0 else { return nil }
        var pick = random.index(below: total)
        var from = 0
        while pick >= index.count(of: chemicalPotentials[from].species) {
            pick -= index.count(of: chemicalPotentials[from].species)
            from += 1
        }
        var to = random.index(below: chemicalPotentials.count - 1)
        if to >= from { to += 1 }
        let a = chemicalPotentials[from], b = chemicalPotentials[to]
        let atom = index.atoms[a.species][pick]
        return (Evaluator.SpeciesChange(atom: atom, to: Int32(b.species)),
                -(b.mu - a.mu) + constraintChange(from: a.species, to: b.species, index: index, atoms: index.atomCount))
    }

    /// κN Σ_s [(c'_s − c⁰_s)² − (c_s − c⁰_s)²] for one atom turning from species `a` into `b`.
    func constraintChange(from a: Int, to b: Int, index: SpeciesIndex, atoms n: Int) -> Double {
        guard let variance else { return 0 }
        let size = Double(n)
        var change = 0.0
        for (species, target) in variance.targets where species == a || species == b {
            let c = Double(index.count(of: species)) / size
            let c2 = c + (species == b ? 1 : -1) / size
            change += (c2 - target) * (c2 - target) - (c - target) * (c - target)
        }
        return variance.kappa * size * change
    }
}
